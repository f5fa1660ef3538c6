"""The certification form follows Enterprise's metadata: what an administrator changes with Custom
Field or Customize Form (a field, its label, its help, whether it is required, a whole new step)
reaches /certify at once and the document enforces it, on every path. Done as an administrator does
it, through Desk's REST; the applicant works through the portal's API."""

import json

import frappe
from frappe.tests.utils import FrappeTestCase

from gz_innovation.accounts.tests.utils import create_user, delete_users
from gz_innovation.enterprise.tests.test_choices import form_of
from gz_innovation.enterprise.tests.utils import new_uscc, step_two_values
from gz_innovation.tests.security.http import HttpBrowser

API = "/api/method/gz_innovation.enterprise.api."


class TestFormFromMetadata(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		self.admin = HttpBrowser().login("Administrator", frappe.conf.get("admin_password") or "admin")
		self.applicant = create_user()
		self.addCleanup(delete_users, [self.applicant])
		self.portal = HttpBrowser().login(self.applicant)
		self.made = []
		self.addCleanup(self.clean)

	def clean(self):
		frappe.set_user("Administrator")
		for doctype, name in reversed(self.made):
			if frappe.db.exists(doctype, name):
				frappe.delete_doc(doctype, name, force=True, ignore_permissions=True)
		frappe.clear_cache(doctype="Enterprise")
		frappe.db.commit()  # nosemgrep
		frappe.cache.delete_keys("gz_certify_form:")

	def add_field(self, **values) -> dict:
		reply = self.admin.post("/api/resource/Custom Field", {"dt": "Enterprise", **values})
		self.assertEqual(reply.status, 200, reply)
		self.made.append(("Custom Field", reply.json["data"]["name"]))
		return reply.json["data"]

	def start(self) -> dict:
		reply = self.portal.post(
			API + "start_certification", {"enterprise_name": "贵州元数据测试有限公司", "uscc": new_uscc()}
		)
		self.assertEqual(reply.status, 200, reply)
		application = reply.json["message"]["application"]
		self.made.append(("Enterprise", application["name"]))
		return application

	def save(self, name: str, step: int, values: dict, go_to: int | None = None):
		return self.portal.post(
			API + "save_certification_step",
			{"name": name, "step": step, "values": json.dumps(values), "go_to": go_to or step},
		)

	def step(self, number: int) -> dict:
		return form_of(self.portal)["steps"][number - 1]

	def test_a_field_added_to_step_two_is_asked_at_once_required_and_validated(self):
		self.assertNotIn("patent_count", [f["fieldname"] for f in self.step(2)["fields"]])  # cached now
		self.add_field(
			fieldname="patent_count",
			label="有效发明专利数",
			fieldtype="Int",
			insert_after="main_products",
			reqd=1,
			description="截至上年末的有效发明专利件数",
		)
		fields = self.step(2)["fields"]
		names = [f["fieldname"] for f in fields]
		self.assertEqual(names[names.index("main_products") + 1], "patent_count")  # where it was put
		added = fields[names.index("patent_count")]
		self.assertEqual(
			(added["label"], added["description"], added["required"], added["fieldtype"]),
			("有效发明专利数", "截至上年末的有效发明专利件数", True, "Int"),
		)

		name = self.start()["name"]
		frappe.db.set_value("Enterprise", name, "business_licence", "/private/files/licence.pdf")
		frappe.db.commit()  # nosemgrep
		# A value of the wrong kind is refused, naming the field; nothing is saved.
		wrong = self.save(name, 2, {**step_two_values(), "patent_count": "三件"})
		self.assertEqual(wrong.status, 417, wrong)
		self.assertIn("有效发明专利数", wrong.message)
		self.assertIsNone(frappe.db.get_value("Enterprise", name, "industry"))
		# Required: leaving step 2 without it stops there, naming it.
		missing = self.save(name, 2, step_two_values(), go_to=3)
		self.assertEqual(missing.status, 417, missing)
		self.assertIn("有效发明专利数：必填", missing.message)
		self.assertEqual(frappe.db.get_value("Enterprise", name, "certification_step"), 2)
		# Submitting around the form (the step saved as a draft, then 提交) is refused as well.
		self.assertEqual(self.save(name, 2, step_two_values()).status, 200)
		refused = self.portal.post(API + "submit_certification", {"name": name})
		self.assertEqual(refused.status, 417, refused)
		self.assertIn("有效发明专利数", refused.message)
		self.assertEqual(frappe.db.get_value("Enterprise", name, "certification_status"), "草稿")
		# Filled in: the step moves on and the value is kept.
		done = self.save(name, 2, {**step_two_values(), "patent_count": "3"}, go_to=3)
		self.assertEqual(done.status, 200, done)
		self.assertEqual(done.json["message"]["patent_count"], 3)
		self.assertEqual(frappe.db.get_value("Enterprise", name, "patent_count"), 3)

	def test_customize_form_changes_label_help_and_order_at_once(self):
		self.step(2)  # cached now
		for prop, value, kind in (
			("label", "主营产品及服务（按销售额排序）", "Data"),
			("description", "按上年销售额从高到低填写", "Text"),
		):
			reply = self.admin.post(
				"/api/resource/Property Setter",
				{
					"doctype_or_field": "DocField",
					"doc_type": "Enterprise",
					"field_name": "main_products",
					"property": prop,
					"value": value,
					"property_type": kind,
				},
			)
			self.assertEqual(reply.status, 200, reply)
			self.made.append(("Property Setter", reply.json["data"]["name"]))
		field = next(f for f in self.step(2)["fields"] if f["fieldname"] == "main_products")
		self.assertEqual(field["label"], "主营产品及服务（按销售额排序）")
		self.assertEqual(field["description"], "按上年销售额从高到低填写")

	def test_a_new_tab_is_a_new_step_before_waiting_for_review(self):
		before = form_of(self.portal)["steps"]
		self.add_field(
			fieldname="extra_tab",
			label="补充材料",
			fieldtype="Tab Break",
			insert_after="business_authorizations",
			description="填写企业的补充材料。",
		)
		self.add_field(
			fieldname="extra_note", label="补充说明", fieldtype="Small Text", insert_after="extra_tab"
		)
		steps = form_of(self.portal)["steps"]
		self.assertEqual(len(steps), len(before) + 1)
		new = steps[-2]
		self.assertEqual((new["title"], new["note"]), ("补充材料", "填写企业的补充材料。"))
		self.assertEqual([f["fieldname"] for f in new["fields"]], ["extra_note"])
		self.assertTrue(new["skippable"])  # nothing on it is required
		self.assertEqual(steps[-1]["title"], before[-1]["title"])  # 等待审核 stays last
		# The new step is saved like the others; 提交 hands it in from there.
		name = self.start()["name"]
		reply = self.save(name, len(steps) - 1, {"extra_note": "另附专利清单"})
		self.assertEqual(reply.status, 200, reply)
		self.assertEqual(frappe.db.get_value("Enterprise", name, "extra_note"), "另附专利清单")
		# A field of another step is not taken on this one.
		other = self.save(name, len(steps) - 1, {"industry": "专用设备制造业"})
		self.assertEqual(other.status, 417, other)
		self.assertIsNone(frappe.db.get_value("Enterprise", name, "industry"))

	def test_a_condition_decides_whether_a_field_is_required(self):
		self.add_field(
			fieldname="foreign_share",
			label="外资持股比例（%）",
			fieldtype="Float",
			insert_after="ownership_type",
			mandatory_depends_on='eval:doc.ownership_type=="外商投资企业"',
		)
		field = next(f for f in self.step(2)["fields"] if f["fieldname"] == "foreign_share")
		self.assertEqual(
			field["required_if"], {"op": "==", "field": "ownership_type", "value": "外商投资企业"}
		)
		name = self.start()["name"]
		frappe.db.set_value("Enterprise", name, "business_licence", "/private/files/licence.pdf")
		frappe.db.commit()  # nosemgrep
		self.assertEqual(self.save(name, 2, step_two_values(), go_to=3).status, 200)  # 民营企业
		foreign = self.save(name, 2, step_two_values(ownership_type="外商投资企业"), go_to=3)
		self.assertEqual(foreign.status, 417, foreign)
		self.assertIn("外资持股比例（%）：必填", foreign.message)

	def test_a_read_only_field_is_shown_and_never_taken(self):
		self.add_field(
			fieldname="credit_rating",
			label="信用评级（主管部门填写）",
			fieldtype="Data",
			insert_after="main_products",
			read_only=1,
		)
		field = next(f for f in self.step(2)["fields"] if f["fieldname"] == "credit_rating")
		self.assertTrue(field["read_only"])
		name = self.start()["name"]
		reply = self.save(name, 2, {"credit_rating": "AAA"})
		self.assertEqual(reply.status, 417, reply)
		self.assertIsNone(frappe.db.get_value("Enterprise", name, "credit_rating"))

	def test_removing_a_field_that_drafts_filled_warns_with_their_count(self):
		field = self.add_field(
			fieldname="export_markets", label="主要出口市场", fieldtype="Data", insert_after="main_products"
		)
		name = self.start()["name"]
		self.assertEqual(self.save(name, 2, {"export_markets": "东盟"}).status, 200)
		removed = self.admin.request("DELETE", f"/api/resource/Custom Field/{field['name']}")
		self.assertEqual(removed.status, 202, removed)  # Frappe answers a REST delete with 202
		self.assertIn("有 1 份未提交的草稿已填写“主要出口市场”", removed.message)

	def test_a_condition_the_portal_cannot_read_is_refused(self):
		for condition in ("eval:frappe.session.user=='Administrator'", "eval:doc.a.b", "eval:1+1"):
			reply = self.admin.post(
				"/api/resource/Custom Field",
				{
					"dt": "Enterprise",
					"fieldname": "risky_field",
					"label": "风险字段",
					"fieldtype": "Data",
					"insert_after": "main_products",
					"depends_on": condition,
				},
			)
			self.assertEqual(reply.status, 417, (condition, reply))
			self.assertIn("风险字段", reply.message)
			self.assertFalse(
				frappe.db.exists("Custom Field", {"dt": "Enterprise", "fieldname": "risky_field"})
			)
		# Customize Form's way (a Property Setter) is held to the same rule.
		reply = self.admin.post(
			"/api/resource/Property Setter",
			{
				"doctype_or_field": "DocField",
				"doc_type": "Enterprise",
				"field_name": "main_products",
				"property": "depends_on",
				"value": "eval:frappe.db.get_value('User','Administrator','name')",
				"property_type": "Data",
			},
		)
		self.assertEqual(reply.status, 417, reply)
		self.assertFalse(
			frappe.db.exists("Property Setter", {"doc_type": "Enterprise", "property": "depends_on"})
		)
