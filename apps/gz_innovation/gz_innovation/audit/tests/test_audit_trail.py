"""The audit trail (等保 level 3): workflow steps, rule-set and batch edits, member and role changes,
legacy imports, exports and PDF downloads are recorded with who, when, what and from where; nobody can
change or delete a record; System Managers read them in the 操作审计日志 report."""

import json
from urllib.parse import urlencode

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, get_datetime, now_datetime

from gz_innovation.accounts.tests.test_login import Browser
from gz_innovation.accounts.tests.utils import PASSWORD, create_user, delete_users, use_capture_provider
from gz_innovation.audit import trail
from gz_innovation.audit.doctype.gz_audit_log.gz_audit_log import AuditRecordError
from gz_innovation.audit.report.operation_audit_log import operation_audit_log
from gz_innovation.cultivation.tests.department import (
	GOOD,
	GUIYANG,
	delete_batches,
	enterprise_in,
	new_batch,
	step,
	submitted,
)
from gz_innovation.enterprise.membership import add_member
from gz_innovation.enterprise.roles import STAFF_ROLE
from gz_innovation.enterprise.tests.utils import create_regulator, delete_enterprises


def records(**filters) -> list:
	frappe.db.commit()  # nosemgrep: nothing to commit; sees what the HTTP requests committed
	return frappe.get_all(
		"GZ Audit Log",
		filters=filters,
		fields=["name", "action", "user", "ip_address", "source", "description", "changes", "creation"],
		order_by="creation asc",
	)


class TestAuditTrail(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.local.lang = "zh"
		use_capture_provider()
		cls.batch = new_batch()
		cls.enterprise, cls.admin = enterprise_in(GUIYANG)
		cls.reviewer = create_regulator(city=GUIYANG)
		cls.addClassCleanup(delete_users, [cls.admin, cls.reviewer])
		cls.addClassCleanup(delete_enterprises, [cls.enterprise])
		cls.addClassCleanup(delete_batches, [cls.batch])

	def setUp(self):
		frappe.local.lang = "zh"
		frappe.set_user("Administrator")

	def test_a_workflow_step_in_desk_is_recorded_with_the_reviewers_address(self):
		name = submitted(self.admin, self.batch, "企业技术中心", GOOD)
		browser = Browser(ip="10.11.12.13")
		browser.login(frappe.db.get_value("User", self.reviewer, "username"), PASSWORD)
		doc = frappe.get_doc("Cultivation Submission", name).as_dict()
		response = browser.post(
			"/api/method/frappe.model.workflow.apply_workflow",
			{"doc": json.dumps(doc, default=str), "action": "受理"},
		)
		self.assertEqual(response.status_code, 200, response.data[:300])
		steps = records(reference_name=name, action=trail.REVIEW)
		self.assertEqual(
			[(r.user, r.ip_address) for r in steps], [(self.admin, None), (self.reviewer, "10.11.12.13")]
		)
		self.assertIn("草稿 → 已提交", steps[0].description)
		self.assertIn("已提交 → 市州初审", steps[1].description)
		self.assertEqual(steps[1].source, "网页请求")
		self.assertLess(abs((now_datetime() - get_datetime(steps[1].creation)).total_seconds()), 120)
		step(name, "退回修改", self.reviewer, comment="研发投入请按审计报告填写")
		returned = records(reference_name=name, action=trail.REVIEW)[-1]
		self.assertIn("市州初审 → 退回修改 原因：研发投入请按审计报告填写", returned.description)

	def test_rule_set_and_batch_edits(self):
		rule_set = frappe.get_doc("Cultivation Rule Set", f"企业技术中心-{self.batch}")
		rule_set.rules[0].threshold = 5
		rule_set.save()
		edit = records(reference_name=rule_set.name, action=trail.RULE_SET)[-1]
		self.assertIn(f"修改 培育评定规则集 {rule_set.name}", edit.description)
		changes = json.loads(edit.changes)
		self.assertEqual(next(iter(changes["tables"].values()))["row_changed"], 1)
		batch = frappe.get_doc("Cultivation Batch", self.batch)
		batch.closes_at = add_days(get_datetime(batch.closes_at), 1)
		batch.save()
		edit = records(reference_name=self.batch, action=trail.BATCH)[-1]
		self.assertIn(f"修改 培育批次 {self.batch}", edit.description)
		self.assertEqual(len(json.loads(edit.changes)["fields"]), 1)
		created = records(reference_name=self.batch, action=trail.BATCH)[0]
		self.assertIn(f"新建 培育批次 {self.batch}", created.description)

	def test_member_and_role_changes(self):
		staff = create_user()
		self.addCleanup(delete_users, [staff])
		add_member(self.enterprise, staff, STAFF_ROLE)
		joined = records(reference_name=self.enterprise, action=trail.MEMBERS)
		self.assertTrue(any(f"{staff} 加入企业 {self.enterprise}" == r.description for r in joined))
		roles = records(reference_name=staff, action=trail.MEMBERS)
		self.assertIn("增加角色：GZ Enterprise Staff", roles[-1].description)
		user = frappe.get_doc("User", staff)
		user.remove_roles(STAFF_ROLE)
		self.assertIn(
			"移除角色：GZ Enterprise Staff",
			records(reference_name=staff, action=trail.MEMBERS)[-1].description,
		)
		reviewer = frappe.get_doc("User", self.reviewer)
		reviewer.gz_review_city = "遵义市"
		reviewer.save(ignore_permissions=True)
		self.assertIn(
			"审核市州：贵阳市 → 遵义市",
			records(reference_name=self.reviewer, action=trail.MEMBERS)[-1].description,
		)
		reviewer.gz_review_city = GUIYANG
		reviewer.save(ignore_permissions=True)

	def test_a_legacy_import(self):
		from gz_innovation.legacy import export
		from gz_innovation.legacy.tests.utils import delete_legacy_data, import_files, to_csv

		username = "audit_" + frappe.generate_hash(length=6)
		self.addCleanup(delete_legacy_data, [username])
		record = import_files(
			{
				export.USERS: (
					"users.csv",
					to_csv(["username", "full_name", "password_hash"], [[username, "老用户", ""]]),
				)
			}
		)
		rows = records(reference_name=record.name, action=trail.LEGACY_IMPORT)
		self.assertEqual(
			[r.description for r in rows],
			[
				f"新建原平台数据导入 {record.name}",
				f"原平台数据导入 {record.name} 完成：新建用户 1 个、企业 0 家，跳过 0 行",
			],
		)

	def test_frappe_pdf_and_export_endpoints_are_recorded(self):
		name = submitted(self.admin, self.batch, "工业设计中心", GOOD)
		browser = Browser(ip="10.11.12.14")
		browser.login(frappe.db.get_value("User", self.reviewer, "username"), PASSWORD)
		response = browser.get(
			"/api/method/frappe.utils.print_format.download_pdf?"
			+ urlencode({"doctype": "Cultivation Submission", "name": name, "format": "申报书"})
		)
		self.assertEqual(response.status_code, 200, response.data[:500])
		self.assertTrue(response.data.startswith(b"%PDF"))
		pdf = records(reference_name=name, action=trail.PDF)
		self.assertEqual([(r.user, r.ip_address) for r in pdf], [(self.reviewer, "10.11.12.14")])
		response = browser.post(
			"/api/method/frappe.desk.reportview.export_query",
			{
				"doctype": "Cultivation Submission",
				"file_format_type": "CSV",
				"fields": json.dumps(
					["`tabCultivation Submission`.`name`", "`tabCultivation Submission`.`status`"]
				),
				"filters": json.dumps([["Cultivation Submission", "batch", "=", self.batch]]),
				"title": "Cultivation Submission",
			},
		)
		self.assertEqual(response.status_code, 200, response.data[:300])
		export = records(user=self.reviewer, action=trail.EXPORT)
		self.assertEqual(len(export), 1)
		self.assertEqual(export[0].ip_address, "10.11.12.14")
		self.assertEqual(export[0].description, "导出 培育申报 列表（CSV）")
		self.assertIn(self.batch, export[0].changes)


class TestAuditRecordsCannotBeChanged(FrappeTestCase):
	def setUp(self):
		frappe.local.lang = "zh"
		frappe.set_user("Administrator")
		self.name = trail.record(trail.SETTINGS, "测试记录")
		self.manager = create_user()
		frappe.get_doc("User", self.manager).add_roles("System Manager")
		frappe.db.set_value("User", self.manager, "user_type", "System User")
		self.reviewer = create_regulator()
		frappe.db.commit()  # nosemgrep
		self.addCleanup(delete_users, [self.manager, self.reviewer])
		self.addCleanup(frappe.set_user, "Administrator")

	def test_no_role_may_write_or_delete(self):
		for user in (self.manager, self.reviewer):
			for ptype in ("create", "write", "delete"):
				with self.subTest(user=user, ptype=ptype):
					self.assertFalse(frappe.has_permission("GZ Audit Log", ptype, user=user))
		self.assertTrue(frappe.has_permission("GZ Audit Log", "read", user=self.manager))
		self.assertFalse(frappe.has_permission("GZ Audit Log", "read", user=self.reviewer))

	def test_the_document_refuses_changes_and_deletion_whoever_asks(self):
		doc = frappe.get_doc("GZ Audit Log", self.name)
		doc.description = "改过的记录"
		with self.assertRaises(AuditRecordError):
			doc.save(ignore_permissions=True)
		with self.assertRaises(AuditRecordError):
			frappe.delete_doc("GZ Audit Log", self.name, ignore_permissions=True, force=True)
		self.assertEqual(frappe.db.get_value("GZ Audit Log", self.name, "description"), "测试记录")

	def test_rest_writes_are_refused(self):
		browser = Browser(ip="10.11.12.15")
		self.assertEqual(
			browser.login(frappe.db.get_value("User", self.manager, "username"), PASSWORD).status_code, 200
		)
		from frappe.tests.test_api import make_request

		path = f"/api/resource/GZ Audit Log/{self.name}"
		token = {"X-Frappe-CSRF-Token": browser.csrf}
		put = make_request(
			target=browser.client.put, args=(path,), kwargs={"json": {"description": "x"}, "headers": token}
		)
		delete = make_request(target=browser.client.delete, args=(path,), kwargs={"headers": token})
		self.assertEqual((put.status_code, delete.status_code), (403, 403))
		self.assertEqual(frappe.db.get_value("GZ Audit Log", self.name, "description"), "测试记录")

	def test_the_report_for_system_managers(self):
		frappe.set_user(self.manager)
		_columns, data = operation_audit_log.execute({"action": trail.SETTINGS, "user": "Administrator"})[:2]
		frappe.set_user("Administrator")
		self.assertIn("测试记录", [row.description for row in data])
		frappe.set_user(self.reviewer)
		with self.assertRaises(frappe.PermissionError):
			operation_audit_log.execute({})
