"""The world the security tests attack, built once and committed (HTTP requests see it):

- enterprise A in 贵阳市 (admin, staff without roles, staff with the viewer roles, a pending join
  request, a pending admin transfer, a private business licence, personal data with a history);
- enterprise B in 遵义市 (its admin attacks A);
- reviewers: a 市州 reviewer of 遵义市 (another city than A's), a 省厅 reviewer, and, for the
  legitimate controls, a 贵阳市 reviewer and a System Manager;
- one record of every DocType of the app (child tables included), the attackers' own User records
  and A's licence File.
"""

import json
import secrets

import frappe
from frappe.utils import add_days, now_datetime

from gz_innovation.accounts.tests.utils import PASSWORD, create_user, delete_users
from gz_innovation.cultivation import commitment, submission
from gz_innovation.cultivation.tests.utils import delete_batches, manual_example_values, open_batch
from gz_innovation.enterprise import membership
from gz_innovation.enterprise.roles import CULTIVATION_VIEWER_ROLE, DOCUMENT_VIEWER_ROLE
from gz_innovation.enterprise.tests.utils import (
	create_certified_enterprise,
	create_regulator,
	create_staff,
	delete_enterprises,
	ensure_outgoing_email_account,
	new_uscc,
)
from gz_innovation.tests.pdfs import valid_pdf

# The attackers of the matrix, from the outside in.
ROLES = (
	"guest",
	"personal_user",
	"staff",
	"staff_viewer",
	"admin_a",
	"admin_b",
	"city_reviewer_other",
	"province_reviewer",
)
LEGAL_ID = "11010519491231002X"  # raw personal data that must never reach staff
LEGAL_ID_BEFORE = "110105198001010016"
LEGAL_MOBILE = "13912345678"
TYPE = "企业技术中心"
MATRIX_TYPE = "安全矩阵测试培育类型"
SECOND_TYPE = "技术创新示范企业"


class World:
	def __init__(self):
		self.users: dict[str, str] = {}
		self.targets: dict[str, tuple[str, dict]] = {}  # doctype -> (name, info)
		self.cleanup_users: list[str] = []
		self.cleanup_enterprises: list[str] = []
		self.cleanup_batches: list[str] = []
		self.cleanup_docs: list[tuple[str, str]] = []
		self.cleanup_draws: list[str] = []
		self.cleanup_publicity: list[
			str
		] = []  # with their objections, kept by the app  # a drawn record is never deleted but by the tests' cleanup

	# --- building ------------------------------------------------------------------------------

	def build(self) -> "World":
		frappe.set_user("Administrator")
		frappe.local.lang = "zh"
		ensure_outgoing_email_account()
		from gz_innovation.accounts.tests.utils import use_capture_provider

		use_capture_provider()
		self.make_people()
		self.make_enterprise_records()
		self.make_cultivation_records()
		self.make_other_records()
		frappe.set_user("Administrator")
		frappe.db.commit()  # nosemgrep: HTTP requests of the tests run in their own transactions
		return self

	def make_people(self) -> None:
		u = self.users
		u["personal_user"] = create_user()
		u["admin_a"], u["admin_b"] = create_user(), create_user()
		self.a = create_certified_enterprise(u["admin_a"], city="贵阳市", county="观山湖区")
		self.b = create_certified_enterprise(u["admin_b"], city="遵义市", county="汇川区")
		u["staff"] = create_staff(self.a)
		u["staff_viewer"] = create_staff(self.a)
		viewer = frappe.get_doc("User", u["staff_viewer"])
		viewer.flags.ignore_permissions = True
		viewer.add_roles(CULTIVATION_VIEWER_ROLE, DOCUMENT_VIEWER_ROLE)
		u["city_reviewer_other"] = create_regulator(city="遵义市")
		u["province_reviewer"] = create_regulator()
		u["city_reviewer_a"] = create_regulator(city="贵阳市")
		u["system_manager"] = create_regulator(stage="both")
		frappe.get_doc("User", u["system_manager"]).add_roles("System Manager")
		self.cleanup_users += list(u.values())
		self.cleanup_enterprises += [self.a, self.b]

	def make_enterprise_records(self) -> None:
		from gz_innovation.enterprise import files

		a = frappe.get_doc("Enterprise", self.a)
		a.append("business_authorizations", {"business_type": "科技创新服务平台", "details": "平台运营"})
		a.legal_person_id_number = LEGAL_ID_BEFORE
		a.save(ignore_version=False)  # tests skip Versions unless asked
		a.reload()
		a.legal_person_id_number = LEGAL_ID  # a change: its Version holds personal data, masked
		a.save(ignore_version=False)
		self.licence = files.replace_attachment(a, "business_licence", "licence.pdf", valid_pdf("licence A"))
		a.reload()
		a.business_licence = self.licence
		a.save()
		self.licence_file = frappe.db.get_value("File", {"file_url": self.licence}, "name")
		self.targets["Enterprise"] = (self.a, {})
		self.targets["GZ Business Authorization"] = (a.business_authorizations[0].name, {"parent": self.a})
		self.targets["File"] = (self.licence_file, {})

		frappe.set_user(self.users["personal_user"])
		join = membership.request_join(self.a)
		frappe.set_user(self.users["admin_a"])
		transfer = membership.request_admin_transfer(self.a, self.users["staff"])
		frappe.set_user("Administrator")
		self.targets["Enterprise Join Request"] = (join, {})
		self.targets["Enterprise Admin Transfer"] = (transfer, {})
		self.targets["GZ Region"] = ("贵阳市", {})
		# The lists kept in Desk (installed with the app).
		self.targets["GZ Industry"] = ("专用设备制造业", {})
		self.targets["GZ Business Type"] = ("科技创新服务平台", {})
		settings = frappe.get_single("GZ Enterprise Settings")
		settings.draft_expiry_days = settings.draft_expiry_days or 30
		settings.save()
		self.targets["GZ Enterprise Settings"] = ("GZ Enterprise Settings", {})

	def make_cultivation_records(self) -> None:
		self.batch = open_batch(days_left=30)
		self.cleanup_batches.append(self.batch)
		rule_set = frappe.get_doc("Cultivation Rule Set", f"{TYPE}-{self.batch}")
		rule_set.append("groups", {"rule_group": "A", "mode": "ALL"})
		rule_set.flags.ignore_reevaluation = True
		rule_set.save()
		frappe.set_user(self.users["admin_a"])
		draft = submission.open_draft(TYPE, self.batch)
		self.submitted = submission.submit(draft.name, {**manual_example_values(), "commitment": 1}).name
		second = submission.open_draft(SECOND_TYPE, self.batch)
		self.second = submission.submit(second.name, {**manual_example_values(), "commitment": 1}).name
		frappe.set_user("Administrator")
		doc = frappe.get_doc("Cultivation Submission", self.submitted)
		batch = frappe.get_doc("Cultivation Batch", self.batch)
		self.targets["Cultivation Submission"] = (self.submitted, {})
		failed = next(row for row in doc.evaluation if row.result == "不满足")  # the attack turns it around
		self.targets["Cultivation Evaluation Row"] = (failed.name, {"parent": self.submitted})
		self.targets["Cultivation Batch"] = (self.batch, {})
		self.targets["Cultivation Batch Type"] = (batch.types[0].name, {"parent": self.batch})
		self.targets["Cultivation Rule Set"] = (rule_set.name, {})
		self.targets["Cultivation Rule"] = (rule_set.rules[0].name, {"parent": rule_set.name})
		self.targets["Cultivation Rule Group"] = (rule_set.groups[0].name, {"parent": rule_set.name})
		self.targets["Cultivation Rule Set Version"] = (
			frappe.db.get_value("Cultivation Rule Set Version", {"rule_set": rule_set.name}, "name"),
			{},
		)
		self.targets["Cultivation Type"] = (TYPE, {})
		# A programme with its own form (disabled: offered nowhere), for the row of its form fields.
		if not frappe.db.exists("Cultivation Type", MATRIX_TYPE):
			frappe.get_doc(
				{
					"doctype": "Cultivation Type",
					"type_name": MATRIX_TYPE,
					"enabled": 0,
					"form_fields": [{"fieldname": "invention_patents"}],
				}
			).insert(ignore_permissions=True)
		programme = frappe.get_doc("Cultivation Type", MATRIX_TYPE)
		if not programme.report_sections:
			programme.append("report_sections", {"section_title": "企业基本情况", "required": 1})
			programme.save(ignore_permissions=True)
		self.targets["Cultivation Type Field"] = (programme.form_fields[0].name, {"parent": MATRIX_TYPE})
		self.targets["Cultivation Type Section"] = (
			programme.report_sections[0].name,
			{"parent": MATRIX_TYPE},
		)
		# A report section and an evidence file of A's submission (as the portal writes them).
		for doctype, table, values in (
			(
				"Cultivation Report Section",
				"report",
				{"section_title": "企业基本情况", "content": "安全测试报告"},
			),
			("Cultivation Evidence", "evidence", {"fieldname": "invention_patents", "file": self.licence}),
		):
			row = frappe.get_doc(
				{
					"doctype": doctype,
					"parent": self.submitted,
					"parenttype": "Cultivation Submission",
					"parentfield": table,
					"idx": 1,
					**values,
				}
			)
			row.db_insert()
			self.targets[doctype] = (row.name, {"parent": self.submitted})
		self.targets["GZ Review Stage"] = ("市州初审", {})

	def make_other_records(self) -> None:
		settings = frappe.get_single("GZ SMS Settings")
		self.targets["GZ SMS Settings"] = ("GZ SMS Settings", {})
		self.targets["GZ SMS Template"] = (settings.templates[0].name, {"parent": "GZ SMS Settings"})
		log = frappe.get_doc(
			{
				"doctype": "GZ SMS Log",
				"mobile": LEGAL_MOBILE,
				"purpose": "test",
				"status": "Captured",
				"message": "x",
			}
		).insert(ignore_permissions=True)
		self.targets["GZ SMS Log"] = (log.name, {})
		self.cleanup_docs.append(("GZ SMS Log", log.name))
		legacy_import = frappe.get_doc(
			{
				"doctype": "Legacy Import",
				"source_note": "安全测试",
				"issues": [
					{"file_name": "users.csv", "line": 2, "record": "x", "action": "跳过", "reason": "测试"}
				],
			}
		).insert(ignore_permissions=True)
		self.targets["Legacy Import"] = (legacy_import.name, {})
		self.targets["Legacy Import Issue"] = (legacy_import.issues[0].name, {"parent": legacy_import.name})
		self.cleanup_docs.append(("Legacy Import", legacy_import.name))
		# A private file only System Managers may read (the reviewers' File attack points at it).
		self.admin_only_file = (
			frappe.get_doc(
				{
					"doctype": "File",
					"file_name": "import.csv",
					"attached_to_doctype": "Legacy Import",
					"attached_to_name": legacy_import.name,
					"is_private": 1,
					"content": b"username,full_name\n",
				}
			)
			.insert(ignore_permissions=True)
			.file_url
		)
		account = frappe.get_doc(
			{
				"doctype": "Legacy Account",
				"user": self.users["staff"],
				"legacy_username": "old_" + secrets.token_hex(3),
				"password_scheme": "md5",
				"imported_on": now_datetime(),
			}
		).insert(ignore_permissions=True)
		self.targets["Legacy Account"] = (account.name, {})
		self.cleanup_docs.append(("Legacy Account", account.name))
		record = frappe.get_doc(
			{
				"doctype": "Legacy Indicator Record",
				"enterprise": self.a,
				"year": 2023,
				"figures": json.dumps({"revenue": 100}),
				"imported_on": now_datetime(),
			}
		).insert(ignore_permissions=True)
		self.targets["Legacy Indicator Record"] = (record.name, {})
		self.cleanup_docs.append(("Legacy Indicator Record", record.name))
		self.make_department_records()
		self.make_portal_records()

	def make_portal_records(self) -> None:
		"""The portal's: a published notice with a PDF (and its attachment row), the portal settings."""
		from gz_innovation.portal.tests.utils import create_notice

		notice = frappe.get_doc("GZ Notice", create_notice("安全测试公告"))
		self.targets["GZ Notice"] = (notice.name, {})
		self.targets["GZ Notice Attachment"] = (notice.attachments[0].name, {"parent": notice.name})
		self.cleanup_docs.append(("GZ Notice", notice.name))
		self.targets["GZ Portal Settings"] = ("GZ Portal Settings", {})

	def make_department_records(self) -> None:
		"""The department side's records: an audit record (kept: nobody deletes one), a reminder sent,
		the reminder settings."""
		from gz_innovation.audit import trail

		self.targets["GZ Audit Log"] = (trail.record(trail.SETTINGS, "安全测试记录"), {})
		reminder = frappe.get_doc(
			{
				"doctype": "Cultivation Reminder Log",
				"reminder_date": now_datetime().date(),
				"kind": "审核到期",
				"recipient": self.users["province_reviewer"],
				"batch": self.batch,
				"stage": "省厅审核",
				"message": "安全测试提醒",
			}
		).insert(ignore_permissions=True)
		self.targets["Cultivation Reminder Log"] = (reminder.name, {})
		self.cleanup_docs.append(("Cultivation Reminder Log", reminder.name))
		self.targets["Cultivation Reminder Settings"] = ("Cultivation Reminder Settings", {})
		category = frappe.get_doc(
			{
				"doctype": "GZ Indicator Category",
				"category_name": "安全测试类别" + frappe.generate_hash(length=6),
			}
		).insert(ignore_permissions=True)
		self.targets["GZ Indicator Category"] = (category.name, {})
		self.cleanup_docs.append(("GZ Indicator Category", category.name))
		commitment.ensure_defaults()
		self.targets["GZ Commitment Settings"] = ("GZ Commitment Settings", {})
		self.build_recognition()

	def build_recognition(self) -> None:
		"""A batch opening the recognition programme to direct applicants; an expert pool of an industry
		of its own (one expert avoided by a declared relation with A), a scoring scheme with a factor,
		and a draw for A, drawn and sealed."""
		from gz_innovation.recognition.tests.utils import recognition_batch

		direct_batch = recognition_batch(direct=True, prefix="安全测试认定批次-")
		self.cleanup_batches.append(direct_batch)
		row = frappe.get_doc("Cultivation Batch", direct_batch).direct_types[0]
		self.targets["Cultivation Batch Direct Type"] = (row.name, {"parent": direct_batch})
		industry = frappe.get_doc(
			{
				"doctype": "GZ Industry",
				"industry_name": "安全测试行业" + frappe.generate_hash(length=6),
				"industry_section": "制造业",
				"enabled": 0,  # never offered by the enterprise forms the other tests read
			}
		).insert(ignore_permissions=True)
		pool = []
		for index in range(3):
			pool.append(
				frappe.get_doc(
					{
						"doctype": "GZ Expert",
						"full_name": f"安全测试专家{index}",
						"industries": [{"industry": industry.name}],
						"employers": [{"employer_name": "安全测试单位", "uscc": new_uscc()}],
						"relations": [{"enterprise_name": "无关企业", "relation": "持股或投资"}],
					}
				).insert(ignore_permissions=True)
			)
		a_name, a_uscc = frappe.db.get_value("Enterprise", self.a, ["enterprise_name", "uscc"])
		pool[2].append("relations", {"enterprise_name": a_name, "uscc": a_uscc, "relation": "近亲属任职"})
		pool[2].save(ignore_permissions=True)
		scheme = frappe.get_doc(
			{
				"doctype": "GZ Scoring Scheme",
				"scheme_name": "安全测试评分方案" + frappe.generate_hash(length=6),
				"indicators": [
					{
						"label": "营业收入",
						"kind": "定量",
						"expression": "revenue",
						"weight": 10,
						"basic_requirement": 100,
						"full_requirement": 1000,
					}
				],
				"industry_factors": [{"industry": industry.name, "factor": 1.2}],
			}
		).insert(ignore_permissions=True)
		draw = frappe.get_doc(
			{
				"doctype": "GZ Expert Draw",
				"enterprise": self.a,
				"strata": [{"industry": industry.name, "panel_size": 1, "reserve_size": 1}],
			}
		).insert(ignore_permissions=True)
		draw.draw()
		self.cleanup_draws.append(draw.name)
		review = frappe.get_doc(
			{
				"doctype": "GZ Expert Review",
				"expert": draw.members[0].expert,
				"draw": draw.name,
				"enterprise": self.a,
				"enterprise_name": a_name,
				"scheme": scheme.name,
				"status": "评审中",
				"declaration": "无利益冲突",
				"lines": [
					{
						"indicator": "营业收入",
						"kind": "定量",
						"weight": 10,
						"declared_value": 180,
						"verified_value": 180,
					}
				],
			}
		)
		review.flags.from_server = True
		review.insert(ignore_permissions=True)
		self.cleanup_docs.extend(
			[
				("GZ Scoring Scheme", scheme.name),
				*(("GZ Expert", e.name) for e in pool),
				("GZ Industry", industry.name),
			]
		)
		self.targets["GZ Expert"] = (pool[0].name, {})
		self.targets["GZ Expert Industry"] = (pool[0].industries[0].name, {"parent": pool[0].name})
		self.targets["GZ Expert Employer"] = (pool[0].employers[0].name, {"parent": pool[0].name})
		self.targets["GZ Expert Relation"] = (pool[0].relations[0].name, {"parent": pool[0].name})
		self.targets["GZ Scoring Scheme"] = (scheme.name, {})
		self.targets["GZ Scoring Indicator"] = (scheme.indicators[0].name, {"parent": scheme.name})
		self.targets["GZ Industry Factor"] = (scheme.industry_factors[0].name, {"parent": scheme.name})
		listed = frappe.get_doc(
			{
				"doctype": "GZ Publicity",
				"title": "安全测试公示",
				"published": 1,
				"starts_on": now_datetime().date(),
				"days": 7,
				"entries": [{"enterprise": self.a, "platform_name": "安全测试平台"}],
			}
		).insert(ignore_permissions=True)
		objection = frappe.get_doc(
			{
				"doctype": "GZ Objection",
				"publicity": listed.name,
				"enterprise": self.a,
				"reasons": "安全测试异议：申报数据与审计报告不符。",
			}
		)
		objection.flags.from_portal = True
		objection.insert(ignore_permissions=True)
		self.cleanup_publicity.append(listed.name)
		self.targets["GZ Publicity"] = (listed.name, {})
		self.targets["GZ Publicity Entry"] = (listed.entries[0].name, {"parent": listed.name})
		self.targets["GZ Objection"] = (objection.name, {})
		ended = frappe.get_doc(
			{
				"doctype": "GZ Publicity",
				"title": "安全测试已结束公示",
				"published": 1,
				"starts_on": add_days(now_datetime().date(), -10),
				"days": 5,
				"entries": [{"enterprise": self.a, "platform_name": "安全测试认定平台"}],
			}
		).insert(ignore_permissions=True)
		self.cleanup_publicity.append(ended.name)
		recognition = frappe.get_doc(
			{"doctype": "GZ Recognition", "publicity": ended.name, "enterprise": self.a}
		)
		self.targets["GZ Recognition"] = (recognition.insert(ignore_permissions=True).name, {})
		self.targets["GZ Expert Draw"] = (draw.name, {})
		self.targets["GZ Expert Review"] = (review.name, {})
		self.targets["GZ Expert Review Line"] = (review.lines[0].name, {"parent": review.name})
		for doctype, table in (
			("GZ Expert Draw Stratum", "strata"),
			("GZ Expert Draw Member", "members"),
			("GZ Expert Draw Exclusion", "exclusions"),
		):
			self.targets[doctype] = (draw.get(table)[0].name, {"parent": draw.name})

	# --- using ---------------------------------------------------------------------------------

	def user_of(self, role: str) -> str:
		return "Guest" if role == "guest" else self.users[role]

	def target(self, doctype: str, role: str, door: str | None = None) -> tuple[str, dict]:
		"""The record `role` attacks: its own User (another's for uploads, as a Desk user may attach a
		picture to their own); every other doctype's record of the world."""
		if doctype == "User":
			own = role != "guest" and door != "upload_file"
			other = self.users["admin_b"] if role == "admin_a" else self.users["admin_a"]
			return (self.users[role] if own else other), {}
		return self.targets[doctype]

	# --- tearing down --------------------------------------------------------------------------

	def destroy(self) -> None:
		frappe.set_user("Administrator")
		from gz_innovation.recognition.tests.utils import delete_draws

		delete_draws(self.cleanup_draws)
		for name in self.cleanup_publicity:
			frappe.db.delete("GZ Recognition", {"publicity": name})
			frappe.db.delete("GZ Objection", {"publicity": name})
			frappe.db.delete("GZ Publicity Entry", {"parent": name})
			frappe.db.delete("GZ Publicity", name)
		for doctype, name in self.cleanup_docs:
			if frappe.db.exists(doctype, name):
				frappe.delete_doc(doctype, name, force=True, ignore_permissions=True)
		for name in frappe.get_all(
			"Cultivation Submission", filters={"enterprise": ["in", self.cleanup_enterprises]}, pluck="name"
		):
			frappe.delete_doc("Cultivation Submission", name, force=True, ignore_permissions=True)
		for doctype in ("Enterprise Join Request", "Enterprise Admin Transfer"):
			frappe.db.delete(doctype, {"enterprise": ["in", self.cleanup_enterprises]})
		frappe.db.delete("Legacy Indicator Record", {"enterprise": ["in", self.cleanup_enterprises]})
		for file in frappe.get_all(
			"File",
			filters={
				"attached_to_doctype": "Enterprise",
				"attached_to_name": ["in", self.cleanup_enterprises],
			},
			pluck="name",
		):
			frappe.delete_doc("File", file, force=True, ignore_permissions=True)
		delete_batches(self.cleanup_batches)
		delete_enterprises(self.cleanup_enterprises)
		delete_users(self.cleanup_users)
		frappe.db.commit()  # nosemgrep


def snapshot(doctype: str, name: str) -> dict:
	"""Everything stored of one record: its row, its child rows, its attached files; for a User also
	its roles and memberships; for a Single its values."""
	meta = frappe.get_meta(doctype)
	if meta.issingle:
		rows = frappe.db.sql(
			"select field, value from tabSingles where doctype=%s order by field", doctype, as_dict=True
		)
		children = {
			df.fieldname: frappe.db.sql(
				f"select * from `tab{df.options}` where parent=%s and parenttype=%s order by idx",
				(doctype, doctype),
				as_dict=True,
			)
			for df in meta.get_table_fields()
		}
		return {"singles": rows, "children": children}
	row = frappe.db.sql(f"select * from `tab{doctype}` where name=%s", name, as_dict=True)
	state = {"row": row}
	for df in meta.get_table_fields():
		state[df.fieldname] = frappe.db.sql(
			f"select * from `tab{df.options}` where parent=%s and parenttype=%s order by idx",
			(name, doctype),
			as_dict=True,
		)
	state["files"] = frappe.get_all(
		"File",
		filters={"attached_to_doctype": doctype, "attached_to_name": name},
		fields=["name", "file_url", "is_private"],
		order_by="name",
	)
	if doctype == "User":
		state["roles"] = sorted(frappe.get_roles(name))
		state["memberships"] = frappe.get_all(
			"User Permission", filters={"user": name}, fields=["allow", "for_value"], order_by="name"
		)
	return state


def count(doctype: str) -> int:
	return 0 if frappe.get_meta(doctype).issingle else frappe.db.count(doctype)
