"""Factories of the recognition tests."""

import secrets

import frappe

from gz_innovation.recognition import scoring
from gz_innovation.recognition.setup import RECOGNITION_PROGRAMME


def create_industry(prefix: str = "测试行业-") -> str:
	"""An industry of its own, so a test's experts are the only ones a draw can find. Disabled: the
	enterprise forms never offer it (experts and draws name it all the same)."""
	name = prefix + secrets.token_hex(4)
	frappe.get_doc(
		{"doctype": "GZ Industry", "industry_name": name, "industry_section": "制造业", "enabled": 0}
	).insert(ignore_permissions=True)
	return name


def delete_industries(prefix: str) -> None:
	"""The tests' industries of a prefix, with their experts (not committed here)."""
	industries = frappe.get_all("GZ Industry", filters={"name": ["like", prefix + "%"]}, pluck="name")
	experts = frappe.get_all(
		"GZ Expert Industry", filters={"industry": ["in", industries or [""]]}, pluck="parent", distinct=True
	)
	for table in ("GZ Expert Industry", "GZ Expert Employer", "GZ Expert Relation"):
		frappe.db.delete(table, {"parent": ["in", experts or [""]]})
	frappe.db.delete("GZ Expert", {"name": ["in", experts or [""]]})
	frappe.db.delete("GZ Industry", {"name": ["in", industries or [""]]})


def create_expert(industries, employers=(), relations=(), enabled=1, name=None) -> str:
	doc = frappe.get_doc(
		{
			"doctype": "GZ Expert",
			"full_name": name or "专家" + secrets.token_hex(2),
			"enabled": enabled,
			"industries": [
				{"industry": i} for i in ([industries] if isinstance(industries, str) else industries)
			],
			"employers": list(employers),
			"relations": list(relations),
		}
	)
	doc.insert(ignore_permissions=True)
	return doc.name


def scheme_doc(**overrides) -> "frappe.model.document.Document":
	"""A scheme of two quantitative indicators (one with the industry factor) and one qualitative."""
	values = {
		"doctype": "GZ Scoring Scheme",
		"scheme_name": "测试评分方案-" + secrets.token_hex(4),
		"scale": 100,
		"gate": 60,
		"aggregation": scoring.MEAN,
		"indicators": [
			{
				"label": "研发经费占比",
				"kind": scoring.QUANTITATIVE,
				"expression": "rd_expenditure / revenue * 100",
				"weight": 40,
				"basic_requirement": 3,
				"full_requirement": 6,
				"unit": "%",
				"decimals": 2,
				"apply_industry_factor": 1,
			},
			{
				"label": "发明专利",
				"kind": scoring.QUANTITATIVE,
				"expression": "invention_patents",
				"weight": 40,
				"basic_requirement": 2,
				"full_requirement": 10,
				"unit": "件",
				"decimals": 0,
			},
			{"label": "行业地位", "kind": scoring.QUALITATIVE, "weight": 20},
		],
	}
	values.update(overrides)
	return frappe.get_doc(values)


def delete_draws(names) -> None:
	"""Draws and their reviews are kept by the app; the tests' own go (not committed here)."""
	for name in names:
		reviews = frappe.get_all("GZ Expert Review", filters={"draw": name}, pluck="name")
		frappe.db.delete("GZ Expert Review Line", {"parent": ["in", reviews or [""]]})
		frappe.db.delete("GZ Expert Review", {"draw": name})
		for child in ("GZ Expert Draw Stratum", "GZ Expert Draw Member", "GZ Expert Draw Exclusion"):
			frappe.db.delete(child, {"parent": name})
		frappe.db.delete("GZ Expert Draw", name)


def create_administrator(first_name: str = "复核管理员") -> str:
	"""Another platform administrator (System Manager) with a username and the tests' password."""
	from frappe.utils.password import update_password

	from gz_innovation.accounts.tests.utils import PASSWORD

	user = frappe.get_doc(
		{
			"doctype": "User",
			"email": f"admin-{secrets.token_hex(4)}@example.com",
			"first_name": first_name,
			"username": "adm_" + secrets.token_hex(4),
			"send_welcome_email": 0,
			"roles": [{"role": "System Manager"}],
		}
	).insert(ignore_permissions=True)
	update_password(user.name, PASSWORD)
	return user.name


def expert_user(first_name: str = "评审专家") -> str:
	"""A Desk user with only the expert's role, and the tests' password."""
	from frappe.utils.password import update_password

	from gz_innovation.accounts.tests.utils import PASSWORD
	from gz_innovation.recognition.review import EXPERT_ROLE

	user = frappe.get_doc(
		{
			"doctype": "User",
			"email": f"expert-{secrets.token_hex(4)}@example.com",
			"first_name": first_name,
			"username": "exp_" + secrets.token_hex(4),
			"mobile_no": "135" + "".join(secrets.choice("0123456789") for _ in range(8)),
			"send_welcome_email": 0,
			"roles": [{"role": EXPERT_ROLE}],
		}
	)
	user.flags.no_welcome_mail = True
	user.insert(ignore_permissions=True)
	update_password(user.name, PASSWORD)
	return user.name


E2E_BATCH_PREFIX = "浏览器测试认定批次-"
E2E_INDUSTRY_PREFIX = "浏览器测试行业-"


def recognition_e2e_fixture(gate_batch: str | None = None) -> dict:
	"""For the browser walk (test site only): an enterprise whose application of a closed batch of its
	own ended 培育完成, a scoring scheme for it, an industry of five experts with accounts (one avoided
	by a declared relation), a second administrator to countersign, and a draw waiting to be drawn.
	The previous run's batch, application and draw go first.

	With `gate_batch` (open), also an enterprise admin of its own and a scheme with a gate of 70 for
	技术创新示范企业 in that batch: the portal shows the self-score while the form is filled."""
	from frappe.utils.password import update_password

	from gz_innovation.accounts.tests.utils import PASSWORD, create_user
	from gz_innovation.cultivation import submission
	from gz_innovation.cultivation.tests.utils import delete_batches, manual_example_values, open_batch
	from gz_innovation.enterprise.tests.utils import create_certified_enterprise

	previous = frappe.get_all(
		"Cultivation Batch", filters={"name": ["like", E2E_BATCH_PREFIX + "%"]}, pluck="name"
	)
	applications = frappe.get_all(
		"Cultivation Submission", filters={"batch": ["in", previous or [""]]}, pluck="name"
	)
	delete_draws(
		frappe.get_all(
			"GZ Expert Draw", filters={"reference_name": ["in", applications or [""]]}, pluck="name"
		)
	)
	old_schemes = frappe.get_all(
		"GZ Scoring Scheme", filters={"batch": ["in", previous or [""]]}, pluck="name"
	)
	frappe.db.delete("GZ Scoring Indicator", {"parent": ["in", old_schemes or [""]]})
	frappe.db.delete("GZ Scoring Scheme", {"name": ["in", old_schemes or [""]]})
	scoring.forget_schemes()  # deleted without the controller
	delete_batches(previous)
	batch = open_batch(days_left=30, prefix=E2E_BATCH_PREFIX)
	admin = create_user()
	create_certified_enterprise(admin)
	acting = frappe.session.user
	frappe.set_user(admin)
	draft = submission.open_draft("企业技术中心", batch)
	application = submission.submit(draft.name, {**manual_example_values(), "commitment": 1}).name
	frappe.set_user(acting)
	# Recognition follows cultivation: the application ended 培育完成 and its batch closed, so no
	# reviewer's queue or open-batch figure of the other browser tests counts it.
	frappe.db.set_value("Cultivation Submission", application, "status", "培育完成")
	frappe.db.set_value(
		"Cultivation Batch", batch, "closes_at", frappe.utils.add_days(frappe.utils.now_datetime(), -1)
	)
	enterprise = frappe.db.get_value("Cultivation Submission", application, "enterprise")
	name, uscc = frappe.db.get_value("Enterprise", enterprise, ["enterprise_name", "uscc"])
	delete_industries(E2E_INDUSTRY_PREFIX)
	industry = create_industry(E2E_INDUSTRY_PREFIX)
	scheme = scheme_doc(cultivation_type="企业技术中心", batch=batch)
	scheme.indicators[2].guidance = "看行业排名与市场占有率"
	scheme.insert(ignore_permissions=True)
	users = [expert_user(f"专家{n}") for n in "甲乙丙丁"]
	for index, user in enumerate(users):
		expert = create_expert(industry, name=f"{'甲乙丙丁'[index]}专家")
		frappe.db.set_value("GZ Expert", expert, "user", user)
	create_expert(
		industry,
		relations=[
			{"enterprise_name": name, "uscc": uscc, "relation": "近亲属任职", "note": "配偶任该企业副总"}
		],
		name="戊专家",
	)
	checker = create_administrator()
	draw = frappe.get_doc(
		{
			"doctype": "GZ Expert Draw",
			"enterprise": enterprise,
			"reference_doctype": "Cultivation Submission",
			"reference_name": application,
			"strata": [{"industry": industry, "panel_size": 2, "reserve_size": 1}],
		}
	).insert(ignore_permissions=True)
	gate = gate_e2e_fixture(gate_batch) if gate_batch else None
	publicity = publicity_e2e_fixture(enterprise, name)
	graduate = {
		"mobile": frappe.db.get_value("User", admin, "mobile_no"),
		"password": PASSWORD,
		"application": application,
		"batch": application_e2e_fixture(),
		"programme": RECOGNITION_PROGRAMME,
		"results_draw": results_e2e_fixture(enterprise, application, checker),
		"ended_publicity": ended_publicity_e2e_fixture(enterprise, name),
	}
	frappe.db.commit()  # nosemgrep: a bench command for the browser test
	return {
		"gate": gate,
		"graduate": graduate,
		"publicity": publicity,
		"draw": draw.name,
		"checker": frappe.db.get_value("User", checker, "username"),
		"experts": {user: frappe.db.get_value("User", user, "username") for user in users},
		"password": PASSWORD,
		"industry": industry,
	}


GATE_SCHEME_PREFIX = "浏览器测试门槛方案-"


def gate_e2e_fixture(batch: str) -> dict:
	from gz_innovation.accounts.tests.utils import PASSWORD, create_user
	from gz_innovation.enterprise.tests.utils import create_certified_enterprise

	frappe.db.delete("GZ Scoring Indicator", {"parent": ["like", GATE_SCHEME_PREFIX + "%"]})
	frappe.db.delete("GZ Scoring Scheme", {"name": ["like", GATE_SCHEME_PREFIX + "%"]})
	scoring.forget_schemes()  # deleted without the controller
	admin = create_user()
	enterprise = create_certified_enterprise(admin)
	frappe.db.set_value("Enterprise", enterprise, {"annual_revenue": 180, "rd_expenditure": 50})
	scheme_doc(
		scheme_name=GATE_SCHEME_PREFIX + secrets.token_hex(4),
		cultivation_type="技术创新示范企业",
		batch=batch,
		gate=70,
	).insert(ignore_permissions=True)
	return {
		"mobile": frappe.db.get_value("User", admin, "mobile_no"),
		"password": PASSWORD,
		"batch": batch,
		"type": "技术创新示范企业",
	}


PUBLICITY_PREFIX = "浏览器测试拟认定名单公示-"


def publicity_e2e_fixture(enterprise: str, enterprise_name: str) -> str:
	"""An unpublished list starting today with the enterprise on it (the previous run's go first, with
	their objections)."""
	for old in frappe.get_all(
		"GZ Publicity", filters={"title": ["like", PUBLICITY_PREFIX + "%"]}, pluck="name"
	):
		frappe.db.delete("GZ Recognition", {"publicity": old})
		frappe.db.delete("GZ Objection", {"publicity": old})
		frappe.db.delete("GZ Publicity Entry", {"parent": old})
		frappe.db.delete("GZ Publicity", old)
	doc = frappe.get_doc(
		{
			"doctype": "GZ Publicity",
			"title": PUBLICITY_PREFIX + secrets.token_hex(3),
			"published": 0,
			"starts_on": frappe.utils.nowdate(),
			"days": 7,
			"note": "异议请实名提出，受理部门：省工业和信息化厅科技处。",
			"entries": [
				{
					"enterprise": enterprise,
					"platform_name": f"{enterprise_name}省级企业技术中心",
					"cultivation_type": "企业技术中心",
				}
			],
		}
	).insert(ignore_permissions=True)
	return doc.name


def recognition_batch(direct: bool = False, prefix: str = "测试认定批次-") -> str:
	"""An open batch offering the cultivation programmes and the recognition programme (with rule
	sets); `direct`: the batch also opens recognition to direct applicants."""
	from gz_innovation.cultivation.setup import RULE_SETS, ensure_rule_set
	from gz_innovation.cultivation.tests.utils import open_batch

	batch = open_batch(days_left=30, prefix=prefix)
	ensure_rule_set(RECOGNITION_PROGRAMME, batch, RULE_SETS["企业技术中心"])
	doc = frappe.get_doc("Cultivation Batch", batch)
	doc.append("types", {"cultivation_type": RECOGNITION_PROGRAMME})
	if direct:
		doc.append("direct_types", {"cultivation_type": RECOGNITION_PROGRAMME})
	doc.save(ignore_permissions=True)
	return batch


def complete_cultivation(enterprise: str, batch: str, values: dict) -> str:
	"""A cultivation submission of the enterprise brought to 培育完成 (as the province's reviewers would,
	written directly: the review itself is cultivation's tests' subject)."""
	from gz_innovation.cultivation import submission

	admin = frappe.session.user
	doc = submission.submit(submission.open_draft("企业技术中心", batch).name, values)
	frappe.set_user("Administrator")
	doc.db_set("status", "培育完成", update_modified=True)
	frappe.set_user(admin)
	return doc.name


APPLICATION_BATCH_PREFIX = "浏览器测试认定申报批次-"


def application_e2e_fixture() -> str:
	"""An open batch offering the recognition programme alone (the previous run's goes first)."""
	from frappe.utils import add_days, now_datetime

	from gz_innovation.cultivation.setup import RULE_SETS, ensure_batch, ensure_rule_set
	from gz_innovation.cultivation.tests.utils import delete_batches

	delete_batches(
		frappe.get_all(
			"Cultivation Batch", filters={"name": ["like", APPLICATION_BATCH_PREFIX + "%"]}, pluck="name"
		)
	)
	batch = APPLICATION_BATCH_PREFIX + secrets.token_hex(4)
	ensure_batch(
		batch,
		2026,
		str(add_days(now_datetime(), -1)),
		str(add_days(now_datetime(), 30)),
		types=[RECOGNITION_PROGRAMME],
	)
	ensure_rule_set(RECOGNITION_PROGRAMME, batch, RULE_SETS["企业技术中心"])
	return batch


def results_e2e_fixture(enterprise: str, application: str, checker: str) -> str:
	"""A second draw for the application from an industry of its own, countersigned, both experts'
	reviews submitted (one cuts the patents with a reason): waiting for the administrator to release
	the results."""
	from gz_innovation.recognition import review

	acting = frappe.session.user
	industry = create_industry(E2E_INDUSTRY_PREFIX)
	users = [expert_user(f"结果专家{n}") for n in "甲乙"]
	for index, user in enumerate(users):
		expert = create_expert(industry, name=f"结果{'甲乙'[index]}专家")
		frappe.db.set_value("GZ Expert", expert, "user", user)
	draw = frappe.get_doc(
		{
			"doctype": "GZ Expert Draw",
			"enterprise": enterprise,
			"reference_doctype": "Cultivation Submission",
			"reference_name": application,
			"strata": [{"industry": industry, "panel_size": 2, "reserve_size": 0}],
		}
	).insert(ignore_permissions=True)
	draw.draw()
	frappe.set_user(checker)
	frappe.get_doc("GZ Expert Draw", draw.name).countersign()
	for index, name in enumerate(
		frappe.get_all("GZ Expert Review", filters={"draw": draw.name}, pluck="name")
	):
		doc = frappe.get_doc("GZ Expert Review", name)
		frappe.set_user(doc.expert_user)
		doc.declaration = review.NO_CONFLICT
		doc.save()
		for line in doc.lines:
			if line.indicator == "发明专利" and index == 0:
				line.verified_value = 5
				line.cut_reason = "7件专利证书未提供"
			if line.kind == scoring.QUALITATIVE:
				line.expert_score = str(15 + 5 * index)
		doc.comment = "研发组织健全，专利证明材料需补齐。" if index == 0 else ""
		doc.save()
		doc.submit_scores()
	frappe.set_user(acting)
	return draw.name


ENDED_PUBLICITY_PREFIX = "浏览器测试已期满公示-"


def ended_publicity_e2e_fixture(enterprise: str, enterprise_name: str) -> str:
	"""A published list whose 公示 ended yesterday, the enterprise on it and no objection: ready for
	认定 (the previous run's go first, with their recognitions)."""
	from frappe.utils import add_days, nowdate

	for old in frappe.get_all(
		"GZ Publicity", filters={"title": ["like", ENDED_PUBLICITY_PREFIX + "%"]}, pluck="name"
	):
		frappe.db.delete("GZ Recognition", {"publicity": old})
		frappe.db.delete("GZ Publicity Entry", {"parent": old})
		frappe.db.delete("GZ Publicity", old)
	return (
		frappe.get_doc(
			{
				"doctype": "GZ Publicity",
				"title": ENDED_PUBLICITY_PREFIX + secrets.token_hex(3),
				"published": 1,
				"starts_on": add_days(nowdate(), -7),
				"days": 6,
				"entries": [
					{
						"enterprise": enterprise,
						"platform_name": f"{enterprise_name}省级企业技术中心",
						"cultivation_type": RECOGNITION_PROGRAMME,
					}
				],
			}
		)
		.insert(ignore_permissions=True)
		.name
	)
