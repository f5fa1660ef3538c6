"""A programme created in Desk, without code or migrate: an administrator adds a field, creates the
programme with five indicator fields and the new one under two headings and its own commitment, its
batch and its rule set, all through Desk's REST. An enterprise fills and submits it through the
portal's API; the evaluation, 申报详情, the 申报书 and the reports show it. Bad input is refused with a
Chinese message naming what is wrong, and nothing is saved."""

import io
import json
import uuid
import zipfile
from datetime import timedelta

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import now_datetime

from gz_innovation.accounts.tests.utils import create_user, delete_users
from gz_innovation.enterprise.tests.utils import create_certified_enterprise, delete_enterprises
from gz_innovation.tests.security.http import HttpBrowser

CENTER = "/api/method/gz_innovation.cultivation.api."
FIELDS = [
	("invention_patents", "知识产权"),
	("software_copyrights", None),
	("revenue", "经营规模"),
	("rd_expenditure", None),
	("rd_equipment_value", None),
	("pilot_lines", "中试能力"),
]


class TestProgrammeMadeInDesk(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		self.tag = uuid.uuid4().hex[:6]
		self.programme = "制造业创新中心" + self.tag
		self.batch = "测试批次" + self.tag
		self.desk = HttpBrowser().login("Administrator", frappe.conf.get("admin_password") or "admin")
		self.made = []
		self.addCleanup(self.clean)

	def clean(self):
		frappe.set_user("Administrator")
		for name in frappe.get_all("Cultivation Submission", {"batch": self.batch}, pluck="name"):
			frappe.delete_doc("Cultivation Submission", name, force=True, ignore_permissions=True)
		for doctype, name in reversed(self.made):
			if frappe.db.exists(doctype, name):
				frappe.delete_doc(doctype, name, force=True, ignore_permissions=True)
		frappe.db.commit()  # nosemgrep

	def post(self, doctype: str, values: dict):
		return self.desk.post(f"/api/resource/{doctype}", values)

	def create(self, doctype: str, values: dict) -> dict:
		reply = self.post(doctype, values)
		self.assertEqual(reply.status, 200, reply)
		self.made.append((doctype, reply.json["data"]["name"]))
		return reply.json["data"]

	def make_programme(self) -> None:
		self.create(
			"Custom Field",
			{
				"dt": "Cultivation Submission",
				"fieldname": "pilot_lines",
				"label": "中试线 (条)",
				"fieldtype": "Int",
				"insert_after": "cmmi_level4",
				"description": "已建成并投入使用的中试线条数",
				"reqd": 1,
			},
		)
		self.create(
			"Cultivation Type",
			{
				"type_name": self.programme,
				"enabled": 1,
				"form_fields": [{"fieldname": f, "group_label": g} for f, g in FIELDS],
				"commitment_body": "本单位{enterprise_name}承诺：制造业创新中心申报材料真实、准确。",
			},
		)
		now = now_datetime()
		self.create(
			"Cultivation Batch",
			{
				"batch_name": self.batch,
				"year": now.year,
				"opens_at": str(now - timedelta(minutes=5)),
				"closes_at": str(now + timedelta(days=10)),
				"types": [{"cultivation_type": self.programme}],
			},
		)
		self.create(
			"Cultivation Rule Set",
			{
				"cultivation_type": self.programme,
				"batch": self.batch,
				"rules": [
					{
						"label": "中试线",
						"expression": "pilot_lines",
						"operator": ">=",
						"threshold": 1,
						"unit": "条",
					},
					{
						"label": "知识产权",
						"expression": "invention_patents + software_copyrights",
						"operator": ">=",
						"threshold": 5,
						"unit": "件",
					},
				],
			},
		)

	def enterprise(self) -> HttpBrowser:
		admin = create_user()
		self.addCleanup(delete_users, [admin])
		enterprise = create_certified_enterprise(admin)
		self.addCleanup(delete_enterprises, [enterprise])
		return HttpBrowser().login(admin)

	def test_a_programme_made_in_desk_is_filled_evaluated_printed_and_counted(self):
		self.make_programme()
		portal = self.enterprise()
		center = portal.post(CENTER + "get_center")
		batch = next(b for b in center.json["message"]["batches"] if b["name"] == self.batch)
		self.assertEqual(batch["ready_types"], [self.programme])

		opened = portal.post(
			CENTER + "open_submission", {"cultivation_type": self.programme, "batch": self.batch}
		)
		self.assertEqual(opened.status, 200, opened)
		form = opened.json["message"]
		self.assertEqual([(f["fieldname"], f["group"]) for f in form["indicators"]], FIELDS)
		self.assertEqual(form["indicators"][-1]["label"], "中试线")
		self.assertEqual(form["indicators"][-1]["unit"], "条")
		self.assertEqual(form["indicators"][-1]["description"], "已建成并投入使用的中试线条数")
		self.assertTrue(form["indicators"][-1]["required"])
		# A field the programme does not ask is not taken from its form.
		other = portal.post(
			CENTER + "save_submission",
			{
				"name": form["name"],
				"values": json.dumps({"plant_varieties": 3}),
				"modified": form["modified"],
			},
		)
		self.assertEqual(other.status, 417, other)
		self.assertEqual(frappe.db.get_value("Cultivation Submission", form["name"], "plant_varieties"), 0)

		values = {
			"indicator_category": "其他",
			"invention_patents": 3,
			"software_copyrights": 4,
			"revenue": 3000,
			"rd_expenditure": 120,
			"rd_equipment_value": 80,
			"pilot_lines": 2,
			"commitment": 1,
		}
		# Required (Mandatory in Customize Form): submitting without it is refused, naming it; the
		# draft is saved without it meanwhile.
		without = {k: v for k, v in values.items() if k != "pilot_lines"}
		saved = portal.post(
			CENTER + "save_submission",
			{"name": form["name"], "values": json.dumps(without), "modified": form["modified"]},
		)
		self.assertEqual(saved.status, 200, saved)

		def submit(with_values: dict):
			return portal.post(
				CENTER + "submit_submission",
				{
					"name": form["name"],
					"values": json.dumps(with_values),
					"modified": saved.json["message"]["modified"],
				},
			)

		refused = submit(without)
		self.assertEqual(refused.status, 417, refused)
		self.assertIn("中试线", refused.message)
		self.assertEqual(frappe.db.get_value("Cultivation Submission", form["name"], "status"), "草稿")
		submitted = submit(values)
		self.assertEqual(submitted.status, 200, submitted)
		result = submitted.json["message"]
		self.assertEqual(
			[(r["label"], r["value_display"], r["result"]) for r in result["evaluation"]],
			[("中试线", "2条", "满足"), ("知识产权", "7件", "满足")],
		)
		self.assertEqual(result["overall_result"], "满足限定性指标")
		self.assertEqual(result["status"], "已提交")

		# 申报详情 shows the programme's fields with the values declared.
		detail = portal.post(CENTER + "get_submission", {"name": form["name"]}).json["message"]
		self.assertEqual({f["fieldname"]: f["value"] for f in detail["indicators"]}["pilot_lines"], 2)
		# The 申报书 prints the programme's fields, not the others.
		printed = self.desk.get(
			"/printview",
			{"doctype": "Cultivation Submission", "name": form["name"], "format": "申报书"},
		)
		self.assertEqual(printed.status, 200)
		self.assertIn("中试线", printed.text)
		self.assertIn(self.programme, printed.text)
		self.assertNotIn("植物新品种", printed.text)
		# The department's report counts it under the programme.
		chart = self.desk.get(
			"/api/method/gz_innovation.cultivation.dashboard_chart_source."
			"cultivation_results_by_type.cultivation_results_by_type.get",
			{"filters": json.dumps({"batch": self.batch})},
		)
		self.assertEqual(chart.status, 200, chart)
		self.assertIn(self.programme, chart.json["message"]["labels"])
		# Its own commitment, online and as Word.
		page = portal.get("/authenticity-commitment", {"type": self.programme})
		self.assertIn("制造业创新中心申报材料真实、准确", page.text)
		word = portal.get("/api/method/gz_innovation.cultivation.commitment.download", {"name": form["name"]})
		self.assertEqual(word.status, 200)
		document = zipfile.ZipFile(io.BytesIO(word.content)).read("word/document.xml").decode()
		self.assertIn("制造业创新中心申报材料真实、准确", document)

	def test_the_default_programmes_keep_every_indicator(self):
		from gz_innovation.cultivation import submission

		for programme in ("企业技术中心", "技术创新示范企业", "工业设计中心"):
			self.assertEqual(
				submission.indicator_fields(programme), submission.all_indicator_fields(), programme
			)

	def test_bad_input_is_refused_and_nothing_saved(self):
		# A field the indicator form does not have.
		reply = self.post(
			"Cultivation Type",
			{"type_name": self.programme, "form_fields": [{"fieldname": "no_such_field"}]},
		)
		self.assertEqual(reply.status, 417, reply)
		self.assertIn("no_such_field", reply.message)
		self.assertIn("表单字段", reply.message)
		self.assertFalse(frappe.db.exists("Cultivation Type", self.programme))
		# A placeholder the commitment does not know.
		reply = self.post(
			"Cultivation Type",
			{"type_name": self.programme, "commitment_body": "本单位{company}承诺"},
		)
		self.assertEqual(reply.status, 417, reply)
		self.assertIn("{company}", reply.message)

		self.make_programme()
		# A rule that reads a figure the programme's form does not ask.
		reply = self.post(
			"Cultivation Rule Set",
			{
				"cultivation_type": self.programme,
				"batch": self.batch,
				"rules": [
					{"label": "植物新品种", "expression": "plant_varieties", "operator": ">=", "threshold": 1}
				],
			},
		)
		self.assertEqual(reply.status, 417, reply)
		self.assertIn("植物新品种", reply.message)
		# A programme without a rule set for an open batch cannot be added to it.
		second = self.create("Cultivation Type", {"type_name": "专精特新" + self.tag, "enabled": 1})
		reply = self.desk.request(
			"PUT",
			f"/api/resource/Cultivation Batch/{self.batch}",
			json={"types": [{"cultivation_type": self.programme}, {"cultivation_type": second["name"]}]},
		)
		self.assertEqual(reply.status, 417, reply)
		self.assertIn(second["name"], reply.message)
		self.assertEqual(
			frappe.get_all("Cultivation Batch Type", {"parent": self.batch}, pluck="cultivation_type"),
			[self.programme],
		)
