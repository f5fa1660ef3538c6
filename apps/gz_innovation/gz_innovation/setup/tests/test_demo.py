"""The demo loader that scripts/run.sh and the test command's fresh-site stage use: a record the rules
refuse stops the load with the file, the record and the rule named, and leaves nothing half-saved."""

import json
import shutil
import tempfile
from pathlib import Path

import frappe
from frappe.tests.utils import FrappeTestCase

from gz_innovation.accounts.tests.utils import create_user, delete_users
from gz_innovation.cultivation import demo as department_demo
from gz_innovation.cultivation.tests.utils import delete_batches, open_batch
from gz_innovation.enterprise.tests.utils import create_certified_enterprise, delete_enterprises, new_uscc
from gz_innovation.setup.demo import DemoDataError, demo_logins, describe_logins, load_demo_data


class TestDemoLoader(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		self.addCleanup(frappe.set_user, "Administrator")  # the loader acts as the demo's users
		frappe.local.lang = "zh"  # the site's language, as `bench gz-load-demo` runs
		self.folder = Path(tempfile.mkdtemp())
		self.addCleanup(shutil.rmtree, self.folder, True)

	def write(self, name: str, data) -> None:
		path = self.folder / name
		path.parent.mkdir(parents=True, exist_ok=True)
		path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

	def test_a_record_the_rules_refuse_is_named_with_the_rule_and_nothing_is_kept(self):
		good_user = f"demo-good-{frappe.generate_hash(length=6)}@example.com"
		uscc = new_uscc()
		bad_uscc = uscc[:-1] + ("0" if uscc[-1] != "0" else "1")  # any other check character
		self.write(
			"10_users.json",
			[
				{
					"doctype": "User",
					"email": good_user,
					"first_name": "演示",
					"user_type": "Website User",
					"send_welcome_email": 0,
				}
			],
		)
		self.write(
			"20_enterprises.json",
			[{"doctype": "Enterprise", "enterprise_name": "校验位错误的演示企业", "uscc": bad_uscc}],
		)
		self.addCleanup(delete_users, [good_user])
		with self.assertRaises(DemoDataError) as refused:
			load_demo_data(str(self.folder))
		message = str(refused.exception)
		self.assertIn("20_enterprises.json, record 1", message)
		self.assertIn(f"Enterprise {bad_uscc}", message)
		self.assertIn("统一社会信用代码", message)  # the rule, in the words a user reads
		self.assertFalse(frappe.db.exists("Enterprise", {"uscc": bad_uscc}))
		self.assertFalse(frappe.db.exists("User", good_user))  # the load is all or nothing

	def test_a_department_submission_that_misses_a_required_field_is_named(self):
		admin = create_user()
		enterprise = create_certified_enterprise(admin)
		batch = open_batch()
		self.addCleanup(
			lambda: (delete_batches([batch]), delete_enterprises([enterprise]), delete_users([admin]))
		)
		self.write(
			"department/submissions.json",
			{
				"batch": batch,
				"submissions": [
					{
						"enterprise": enterprise,
						"cultivation_type": "企业技术中心",
						"values": {"revenue": 2600, "invention_patents": 3},  # no 企业类型（指标类别）
						"steps": [["提交申请", 3]],
					}
				],
			},
		)
		with self.assertRaises(DemoDataError) as refused:
			department_demo.load(str(self.folder / "department"))
		message = str(refused.exception)
		self.assertIn(f"submission 1 ({enterprise} 企业技术中心)", message)
		self.assertIn("企业类型（指标类别）", message)
		self.assertFalse(
			frappe.db.exists("Cultivation Submission", {"enterprise": enterprise, "batch": batch})
		)

	def test_a_department_file_naming_a_batch_no_demo_file_makes_is_refused(self):
		self.write("department/submissions.json", {"batch": "不存在的批次", "submissions": []})
		with self.assertRaises(DemoDataError) as refused:
			department_demo.load(str(self.folder / "department"))
		self.assertIn("不存在的批次", str(refused.exception))

	def test_the_logins_printed_are_the_accounts_of_the_files(self):
		self.write(
			"10_users.json",
			[
				{
					"doctype": "User",
					"email": "a@example.com",
					"username": "demo_a",
					"password": "Demo@2024",
					"demo_login_note": "个人用户 (portal)",
					"user_type": "Website User",
				},
				{
					"doctype": "User",
					"email": "b@example.com",
					"password": "Review@2024",
					"user_type": "System User",
				},
				{"doctype": "User", "email": "c@example.com"},  # no password: not a demo login
			],
		)
		logins = [login for login in demo_logins(str(self.folder)) if login["login"] != "zhiyuan_admin"]
		self.assertEqual(
			[(login["login"], login["password"], login["desk"]) for login in logins],
			[("demo_a", "Demo@2024", False), ("b@example.com", "Review@2024", True)],
		)
		self.assertIn("demo_a / Demo@2024  (个人用户 (portal))", describe_logins(str(self.folder)))
