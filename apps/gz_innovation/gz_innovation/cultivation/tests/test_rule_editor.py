"""Rules edited without code (the Rule Set form in Desk): the field picker lists every field a formula
or a condition may use, by its Chinese label and unit, custom fields included; the trial run shows each
rule's result on the batch's submissions (or the manual's example) for the rule set as edited, saving
nothing; only administrators reach either; every label, hint and choice of the form reads in Chinese."""

import re

import frappe
from frappe import _
from frappe.custom.doctype.custom_field.custom_field import create_custom_field
from frappe.tests.utils import FrappeTestCase

from gz_innovation.accounts.tests.test_login import Browser
from gz_innovation.accounts.tests.utils import create_user, delete_users, use_capture_provider
from gz_innovation.cultivation import rule_editor, submission
from gz_innovation.cultivation.setup import CATEGORY_IS
from gz_innovation.cultivation.tests.test_evaluation import remove_custom_field
from gz_innovation.cultivation.tests.utils import delete_batches, manual_example_values, open_batch
from gz_innovation.enterprise.tests.utils import (
	create_certified_enterprise,
	create_regulator,
	delete_enterprises,
)

TYPE = "企业技术中心"
METHODS = "国家级工法（含国家工法）"
METHOD = "/api/method/gz_innovation.cultivation.rule_editor."
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def login(user: str, ip: str) -> Browser:
	browser = Browser(ip=ip)
	response = browser.login(frappe.db.get_value("User", user, "username"))
	assert response.status_code == 200, response.data
	return browser


class RuleEditorTestCase(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		use_capture_provider()
		cls.batch = open_batch()
		cls.rule_set = f"{TYPE}-{cls.batch}"
		cls.manager = create_regulator(stage="both")
		frappe.get_doc("User", cls.manager).add_roles("System Manager")
		cls.reviewer = create_regulator(city="贵阳市")
		cls.addClassCleanup(delete_users, [cls.manager, cls.reviewer])
		cls.addClassCleanup(delete_batches, [cls.batch])
		frappe.db.commit()  # nosemgrep: HTTP requests of the tests read it

	def setUp(self):
		frappe.local.lang = "zh"
		frappe.set_user("Administrator")

	def edited(self, rule_set: str | None = None, **changes) -> dict:
		"""The rule set as the form holds it, with rows changed by label (not saved)."""
		doc = frappe.get_doc("Cultivation Rule Set", rule_set or self.rule_set).as_dict(
			convert_dates_to_str=True
		)
		for row in doc["rules"]:
			row.update(changes.get(row["label"], {}))
		return doc

	def results(self, run: dict) -> dict:
		"""Label → [(result, value shown) per sample]."""
		return {rule["label"]: [(r["result"], r["value"]) for r in rule["results"]] for rule in run["rules"]}


class TestFieldPicker(RuleEditorTestCase):
	def test_every_usable_field_with_its_chinese_label_and_unit_custom_fields_included(self):
		for field in (
			{
				"fieldname": "gz_test_park",
				"fieldtype": "Select",
				"label": "所属园区",
				"options": "\n甲园区\n乙园区",
			},
			{"fieldname": "gz_test_output", "fieldtype": "Float", "label": "工业总产值 (万元)"},
		):
			create_custom_field("Cultivation Submission", {**field, "insert_after": "cmmi_level4"})
			self.addCleanup(remove_custom_field, "Cultivation Submission-" + field["fieldname"])
		response = login(self.manager, "10.32.0.1").post(METHOD + "usable_fields", {})
		self.assertEqual(response.status_code, 200, response.data)
		listed = {f["fieldname"]: f for f in response.json["message"]}

		def shown(fieldname):
			f = listed[fieldname]
			return f["label"], f["unit"], f["in_formula"], f["custom"]

		self.assertEqual(shown("invention_patents"), ("发明专利", "件", True, False))
		self.assertEqual(shown("rd_expenditure"), ("企业研发投入支出", "万元", True, False))
		self.assertEqual(shown("gz_test_output"), ("工业总产值", "万元", True, True))
		self.assertEqual(shown("gz_test_park"), ("所属园区", "", False, True))
		self.assertEqual(listed["gz_test_park"]["options"], ["甲园区", "乙园区"])
		# 是/否 questions go into formulas (是 counts as 1); text fields and the category into conditions.
		self.assertEqual(listed["is_big_data_enterprise"]["kind"], "yes_no")
		self.assertTrue(listed["is_big_data_enterprise"]["in_formula"])
		self.assertEqual(listed["industry"]["in_formula"], False)
		self.assertIn("建筑业", listed["indicator_category"]["options"])
		self.assertIn("其他", listed["indicator_category"]["options"])
		# The review's and the result's fields are nothing a rule may depend on.
		for internal in ("status", "overall_result", "recognition_status", "commitment", "review_comment"):
			self.assertNotIn(internal, listed)
		self.assertTrue(all(CHINESE.search(f["label"]) for f in listed.values()), "a label is not Chinese")


class TestTrialRun(RuleEditorTestCase):
	def test_on_the_manuals_example_when_the_batch_has_no_submission(self):
		run = rule_editor.trial_run(self.edited())
		self.assertIsNone(run["error"])
		self.assertEqual(run["source"], "manual")
		self.assertEqual([s["title"] for s in run["samples"]], ["操作手册示例"])
		results = self.results(run)
		self.assertEqual(results["发明专利"], [("满足", "12件")])
		self.assertEqual(results["企业研发经费支出"], [("满足", "28.00%")])
		self.assertEqual(results["规模以上企业(营业收入2000万以上)"], [("不满足", "180.0万元")])
		self.assertEqual(results["研发原值"], [("不满足", "5万元")])
		self.assertEqual(results["国家级工法（含国家工法）"], [("不适用", "-")])
		self.assertEqual(run["samples"][0]["overall"], "不满足限定性指标")

	def test_on_the_batchs_submissions_following_an_unsaved_edit(self):
		batch = open_batch()
		rule_set = f"{TYPE}-{batch}"
		admin = create_user()
		enterprise = create_certified_enterprise(admin)
		self.addCleanup(delete_batches, [batch])
		self.addCleanup(delete_users, [admin])
		self.addCleanup(delete_enterprises, [enterprise])
		frappe.set_user(admin)
		draft = submission.open_draft(TYPE, batch)
		submission.save_draft(
			draft.name,
			{**manual_example_values(), "indicator_category": "建筑业", "national_level_methods": 2},
		)
		frappe.set_user("Administrator")
		version = frappe.db.get_value("Cultivation Rule Set", rule_set, "version")

		run = rule_editor.trial_run(self.edited(rule_set))
		self.assertEqual(run["source"], "batch")
		self.assertEqual([s["name"] for s in run["samples"]], [draft.name])
		self.assertIn(draft.enterprise_name, run["samples"][0]["title"])
		self.assertEqual(self.results(run)[METHODS], [("满足", "2件")])
		# A higher threshold, then a condition for another category: the result follows each edit.
		stricter = rule_editor.trial_run(self.edited(rule_set, **{METHODS: {"threshold": 3}}))
		self.assertEqual(self.results(stricter)[METHODS], [("不满足", "2件")])
		elsewhere = rule_editor.trial_run(
			self.edited(rule_set, **{METHODS: {"condition": 'indicator_category == "医药"'}})
		)
		self.assertEqual(self.results(elsewhere)[METHODS], [("不适用", "-")])
		# Nothing was saved.
		self.assertEqual(frappe.db.get_value("Cultivation Rule Set", rule_set, "version"), version)
		self.assertEqual(
			frappe.db.get_value("Cultivation Rule", {"parent": rule_set, "label": METHODS}, "condition"),
			CATEGORY_IS.format("建筑业"),
		)

	def test_a_rule_that_would_be_refused_comes_back_with_the_reason(self):
		messages = len(frappe.local.message_log)
		run = rule_editor.trial_run(self.edited(发明专利={"condition": "open('/etc/passwd') == 1"}))
		self.assertEqual(run["rules"], [])
		self.assertIn("第1条规则（发明专利）：适用条件只能用比较", run["error"])
		unknown = rule_editor.trial_run(self.edited(发明专利={"expression": "patents_total"}))
		self.assertEqual(unknown["error"], "第1条规则（发明专利）：未知字段patents_total")
		self.assertEqual(len(frappe.local.message_log), messages)  # no dialog over the form


class TestOnlyAdministrators(RuleEditorTestCase):
	def test_reviewers_and_enterprises_are_refused(self):
		admin = create_user()
		enterprise = create_certified_enterprise(admin)
		self.addCleanup(delete_users, [admin])
		self.addCleanup(delete_enterprises, [enterprise])
		doc = self.edited()
		before = frappe.get_doc("Cultivation Rule Set", self.rule_set).modified
		for user, ip in ((self.reviewer, "10.32.0.2"), (admin, "10.32.0.3")):
			browser = login(user, ip)
			for method, data in (("usable_fields", {}), ("trial_run", {"doc": doc})):
				with self.subTest(user=user, method=method):
					response = browser.post(METHOD + method, data)
					self.assertEqual(response.status_code, 403)
					self.assertNotIn("message", response.json)
		self.assertEqual(Browser(ip="10.32.0.4").post(METHOD + "usable_fields", {}).status_code, 403)
		allowed = login(self.manager, "10.32.0.5").post(METHOD + "trial_run", {"doc": doc})
		self.assertEqual(allowed.status_code, 200, allowed.data)
		self.assertEqual(allowed.json["message"]["source"], "manual")
		self.assertEqual(frappe.get_doc("Cultivation Rule Set", self.rule_set).modified, before)


class TestInChinese(FrappeTestCase):
	def test_every_label_hint_and_choice_of_the_rule_set_form_reads_in_chinese(self):
		frappe.local.lang = "zh"
		english = []
		for doctype in ("Cultivation Rule Set", "Cultivation Rule", "Cultivation Rule Group"):
			for df in frappe.get_meta(doctype).fields:
				texts = [df.label, df.description]
				if df.fieldtype == "Select":
					texts += [o for o in (df.options or "").split("\n") if not re.match(r"^[<>=!]*$", o)]
				english += [f"{doctype}.{df.fieldname}: {t}" for t in texts if t and not CHINESE.search(_(t))]
		self.assertEqual(english, [])
