"""Factories of the recognition tests."""

import secrets

import frappe

from gz_innovation.recognition import scoring


def create_industry() -> str:
	"""An industry of its own, so a test's experts are the only ones a draw can find."""
	name = "测试行业-" + secrets.token_hex(4)
	frappe.get_doc({"doctype": "GZ Industry", "industry_name": name, "enabled": 1}).insert(
		ignore_permissions=True
	)
	return name


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


def recognition_e2e_fixture() -> dict:
	"""For the browser walk (test site only): an enterprise whose application of a closed batch of its
	own ended 培育完成, a scoring scheme for it, an industry of five experts with accounts (one avoided
	by a declared relation), a second administrator to countersign, and a draw waiting to be drawn.
	The previous run's batch, application and draw go first."""
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
	frappe.db.delete("GZ Scoring Scheme", {"batch": ["in", previous or [""]]})
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
	industry = create_industry()
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
	checker = frappe.get_doc(
		{
			"doctype": "User",
			"email": f"checker-{secrets.token_hex(4)}@example.com",
			"first_name": "复核管理员",
			"username": "chk_" + secrets.token_hex(4),
			"send_welcome_email": 0,
			"roles": [{"role": "System Manager"}],
		}
	).insert(ignore_permissions=True)
	update_password(checker.name, PASSWORD)
	draw = frappe.get_doc(
		{
			"doctype": "GZ Expert Draw",
			"enterprise": enterprise,
			"reference_doctype": "Cultivation Submission",
			"reference_name": application,
			"strata": [{"industry": industry, "panel_size": 2, "reserve_size": 1}],
		}
	).insert(ignore_permissions=True)
	frappe.db.commit()  # nosemgrep: a bench command for the browser test
	return {
		"draw": draw.name,
		"checker": checker.username,
		"experts": {user: frappe.db.get_value("User", user, "username") for user in users},
		"password": PASSWORD,
		"industry": industry,
	}
