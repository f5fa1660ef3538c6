"""所属行业 and the 业务类型 of 数字工信 authorisation are lists administrators keep in Desk (GZ Industry,
GZ Business Type): what they add, disable or rename reaches the portal's forms at once, and the
documents accept only what the lists offer. Done as an administrator does it, through Desk's REST."""

import json

import frappe
from frappe.tests.utils import FrappeTestCase

from gz_innovation.accounts.tests.utils import create_user, delete_users
from gz_innovation.enterprise import certification, choices
from gz_innovation.enterprise.tests.utils import new_uscc, step_two_values
from gz_innovation.enterprise.validation import EnterpriseInputError
from gz_innovation.tests.security.http import HttpBrowser


def form_of(browser: HttpBrowser) -> dict:
	"""The certification form's description as /certify gives it to its script."""
	html = browser.get("/certify").text
	start = html.index('<script type="application/json" id="gz-data">') + len(
		'<script type="application/json" id="gz-data">'
	)
	return json.loads(html[start : html.index("</script>", start)])


class TestChoices(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		frappe.local.lang = "zh"  # the site's language, as in a request
		self.admin = HttpBrowser().login("Administrator", frappe.conf.get("admin_password") or "admin")
		self.applicant = create_user()
		self.addCleanup(delete_users, [self.applicant])
		self.portal = HttpBrowser().login(self.applicant)
		self.made = []
		self.addCleanup(self.clean)

	def clean(self):
		frappe.set_user("Administrator")
		for doctype, name in self.made:
			if frappe.db.exists(doctype, name):
				frappe.delete_doc(doctype, name, force=True, ignore_permissions=True)
		frappe.db.set_value("GZ Industry", "医药制造业", "enabled", 1)
		frappe.db.commit()  # nosemgrep
		choices.forget()

	def industry_field(self) -> dict:
		steps = form_of(self.portal)["steps"]
		return next(f for f in steps[1]["fields"] if f["fieldname"] == "industry")

	def test_the_default_industries_are_the_divisions_of_the_national_standard_by_section(self):
		field = self.industry_field()
		self.assertEqual(field["fieldtype"], "Select")
		groups = {g["label"]: g["options"] for g in field["option_groups"]}
		self.assertEqual(len(groups), 18)  # sections A–R of GB/T 4754-2017
		self.assertIn("医药制造业", groups["制造业"])
		self.assertIn("软件和信息技术服务业", groups["信息传输、软件和信息技术服务业"])
		self.assertEqual(sum(len(o) for o in groups.values()), len(field["options"]))

	def test_an_industry_added_or_disabled_in_desk_reaches_the_form_at_once(self):
		self.assertIn("医药制造业", self.industry_field()["options"])  # the form is cached now
		added = self.admin.post(
			"/api/resource/GZ Industry",
			{"industry_name": "测试新兴产业", "industry_section": "制造业", "display_order": 1},
		)
		self.assertEqual(added.status, 200, added)
		self.made.append(("GZ Industry", "测试新兴产业"))
		disabled = self.admin.request("PUT", "/api/resource/GZ Industry/医药制造业", json={"enabled": 0})
		self.assertEqual(disabled.status, 200, disabled)
		field = self.industry_field()
		self.assertEqual(field["options"][0], "测试新兴产业")  # display order 1: first
		self.assertNotIn("医药制造业", field["options"])
		# The document offers what the list offers, on every path.
		frappe.set_user(self.applicant)
		name = certification.start("贵州行业测试有限公司", new_uscc())["application"]["name"]
		self.made.append(("Enterprise", name))
		certification.save_step(name, 2, step_two_values(industry="测试新兴产业"))
		with self.assertRaisesRegex(EnterpriseInputError, "请从列表中选择所属行业"):
			certification.save_step(name, 2, {"industry": "医药制造业"})
		with self.assertRaisesRegex(EnterpriseInputError, "请从列表中选择所属行业"):
			certification.save_step(name, 2, {"industry": "随便写的行业"})
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Enterprise", name, "industry"), "测试新兴产业")

	def test_a_business_type_added_in_desk_is_offered_in_step_five(self):
		added = self.admin.post("/api/resource/GZ Business Type", {"business_type_name": "测试数据服务"})
		self.assertEqual(added.status, 200, added)
		self.made.append(("GZ Business Type", "测试数据服务"))
		self.assertIn("测试数据服务", form_of(self.portal)["business_types"])
		frappe.set_user(self.applicant)
		name = certification.start("贵州业务类型测试有限公司", new_uscc())["application"]["name"]
		self.made.append(("Enterprise", name))
		certification.save_step(
			name,
			5,
			{
				"needs_digital_certification": 1,
				"business_authorizations": [{"business_type": "测试数据服务"}],
			},
		)
		with self.assertRaisesRegex(EnterpriseInputError, "业务授权"):
			certification.save_step(
				name, 5, {"business_authorizations": [{"business_type": "不存在的业务类型"}]}
			)
		frappe.set_user("Administrator")
		rows = frappe.get_all("GZ Business Authorization", filters={"parent": name}, pluck="business_type")
		self.assertEqual(rows, ["测试数据服务"])

	def test_portal_users_cannot_change_the_lists(self):
		refused = self.portal.post("/api/resource/GZ Industry", {"industry_name": "门户用户加的行业"})
		self.assertIn(refused.status, (403, 417))
		self.assertFalse(frappe.db.exists("GZ Industry", "门户用户加的行业"))
