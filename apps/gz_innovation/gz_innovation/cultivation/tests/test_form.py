"""The 限定性指标 form as manual §3.1.1 shows it: 一、基本信息 field by field (prefilled from the enterprise,
the submission's own snapshot, each field validated on the document), the indicator category (the
second 企业类型: required before submitting, a withdrawn one chosen again), 是/否 questions (待填 until
answered), the live pre-check following the category, and the patches for earlier data."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from gz_innovation.accounts.tests.utils import create_user, delete_users, use_capture_provider
from gz_innovation.cultivation import api, categories, submission
from gz_innovation.cultivation.tests.utils import delete_batches, manual_example_values, open_batch
from gz_innovation.enterprise.tests.utils import create_certified_enterprise, delete_enterprises

TYPE = "企业技术中心"
CONSTRUCTION = "建筑业"
SOFTWARE = "软件和信息技术服务业"
# Meets every rule of 企业技术中心 except the IP group: no invention patent.
NO_PATENT = {
	**manual_example_values(),
	"revenue": 5000,
	"rd_expenditure": 300,
	"rd_equipment_value": 800,
	"invention_patents": 0,
	"national_level_methods": 2,
}


class FormTestCase(FrappeTestCase):
	def setUp(self):
		frappe.local.lang = "zh"
		use_capture_provider()
		self.batch = open_batch()
		self.admin = create_user()
		self.enterprise = create_certified_enterprise(self.admin)
		self.addCleanup(delete_users, [self.admin])
		self.addCleanup(delete_enterprises, [self.enterprise])
		self.addCleanup(delete_batches, [self.batch])
		self.addCleanup(frappe.set_user, "Administrator")
		frappe.set_user(self.admin)

	def assertRefused(self, message, func, *args):
		with self.assertRaises((frappe.ValidationError, frappe.PermissionError)) as raised:
			func(*args)
		self.assertEqual(str(raised.exception), message)

	def draft(self):
		return submission.open_draft(TYPE, self.batch)


class TestBasicInformation(FormTestCase):
	def test_prefilled_from_the_enterprise_and_kept_as_the_submissions_own(self):
		enterprise = frappe.get_doc("Enterprise", self.enterprise)
		draft = self.draft()
		for fieldname, origin in submission.ENTERPRISE_FIELD.items():
			with self.subTest(fieldname=fieldname):
				self.assertEqual(str(draft.get(fieldname)), str(enterprise.get(origin)))
		self.assertEqual(draft.uscc, enterprise.uscc)
		self.assertEqual(draft.rd_investment, 50)  # 研发投入 from the enterprise's R&D figure
		changed = submission.save_draft(
			draft.name,
			{"contact_email": "apply@example.cn", "industry": "土木工程建筑业", "registered_capital": 800},
		)
		self.assertEqual((changed.contact_email, changed.registered_capital), ("apply@example.cn", 800))
		# The snapshot changes; the enterprise's record does not.
		self.assertEqual(
			frappe.db.get_value(
				"Enterprise", self.enterprise, ["contact_email", "industry", "registered_capital"]
			),
			(enterprise.contact_email, enterprise.industry, enterprise.registered_capital),
		)

	def test_each_field_is_validated_on_the_document_naming_it_and_nothing_is_saved(self):
		draft = self.draft()
		before = frappe.get_doc("Cultivation Submission", draft.name).as_dict()
		tomorrow = add_days(today(), 1)
		cases = [
			({"registration_date": tomorrow}, "注册时间：不能晚于今天"),
			({"registration_date": "2019-13-45"}, "注册时间：请输入正确的日期"),
			({"contact_email": "chen@zhiyuan"}, "电子邮箱：请输入正确的电子邮箱"),
			({"contact_phone": "12345"}, "单位联系人电话：请输入手机号码或固定电话，如0851-12345678"),
			({"registered_capital": -500}, "注册资本（万元）：不能为负数"),
			({"registered_capital": "五百"}, "注册资本（万元）：请输入数字"),
			({"annual_revenue": 2e8}, "主营业务收入（万元）：金额过大，单位为万元"),
			({"rd_investment": -1}, "研发投入（万元）：不能为负数"),
			({"ownership_type": "民营"}, "企业类型：请从列表中选择"),
			({"industry": "行" * 101}, "所属行业：最多100个字符"),
		]
		for values, message in cases:
			with self.subTest(values=values):
				# The portal's way (save_draft) and a direct save of the document give the same verdict.
				self.assertRefused(message, submission.save_draft, draft.name, values)
				doc = frappe.get_doc("Cultivation Submission", draft.name)
				doc.update(values)
				self.assertRefused(message, doc.save, True)
		# A category that does not exist: Frappe's link check names the field on the document.
		self.assertRefused(
			"企业类型（指标类别）：“建筑”不在可选范围内，请从列表中选择",
			submission.save_draft,
			draft.name,
			{"indicator_category": "建筑"},
		)
		doc = frappe.get_doc("Cultivation Submission", draft.name)
		doc.indicator_category = "建筑"
		with self.assertRaises(frappe.LinkValidationError) as refused:
			doc.save(ignore_permissions=True)
		self.assertIn("企业类型（指标类别）", str(refused.exception))
		after = frappe.get_doc("Cultivation Submission", draft.name).as_dict()
		for fieldname in (*submission.BASIC_FIELDS, "indicator_category"):
			self.assertEqual(after.get(fieldname), before.get(fieldname), fieldname)

	def test_the_basic_information_the_certification_requires_is_required_to_submit(self):
		draft = self.draft()
		submission.save_draft(draft.name, {**manual_example_values(), "commitment": 1, "industry": ""})
		self.assertRefused("所属行业：必填", submission.submit, draft.name)
		self.assertEqual(frappe.db.get_value("Cultivation Submission", draft.name, "status"), "草稿")
		done = submission.submit(draft.name, {"industry": "科技推广和应用服务业"})
		self.assertEqual((done.status, done.industry), ("已提交", "科技推广和应用服务业"))

	def test_the_form_the_portal_renders_has_every_field_of_the_manual(self):
		form = api.as_form(self.draft())
		labels = [f["label"] for f in form["basic"]]
		self.assertEqual(
			labels,
			[
				"统一社会信用代码",
				"企业名称",
				"所属行业",
				"企业类型",
				"注册时间",
				"注册资本",
				"主营业务收入",
				"研发投入",
				"单位联系人",
				"单位联系人电话",
				"电子邮箱",
				"企业在研项目地址",
				"单位简介",
				"主营产品/服务",
			],
		)
		units = {f["fieldname"]: f["unit"] for f in form["basic"]}
		self.assertEqual((units["annual_revenue"], units["rd_investment"]), ("万元", "万元"))
		self.assertEqual(form["basic"][0]["read_only"], True)  # the code names the enterprise
		self.assertEqual(form["category"]["label"], "企业类型（指标类别）")
		self.assertEqual(
			[c["name"] for c in form["category"]["options"]],
			["建筑业", "医药", SOFTWARE, "农业/种业", "其他"],
		)
		kinds = {f["fieldname"]: f["kind"] for f in form["indicators"]}
		self.assertEqual((kinds["is_big_data_enterprise"], kinds["cmmi_level4"]), ("yes_no", "yes_no"))
		self.assertFalse(self.draft().is_big_data_enterprise)  # no default: not answered yet

	def test_the_print_shows_every_field(self):
		draft = submission.save_draft(self.draft().name, {**manual_example_values(), "commitment": 1})
		frappe.set_user("Administrator")
		html = frappe.get_print("Cultivation Submission", draft.name, "申报书")
		for label in (
			"所属行业",
			"企业类型",
			"注册时间",
			"主营业务收入",
			"研发投入",
			"单位联系人电话",
			"电子邮箱",
		):
			self.assertIn(label, html)
		for value in ("制造业", "民营企业", "2015-03-01", "contact@example.com", "一家贵州企业", "工业软件"):
			self.assertIn(value, html)
		self.assertIn("企业类型（指标类别）", html)
		self.assertIn("其他", html)


class TestCategory(FormTestCase):
	def test_required_before_submitting(self):
		draft = self.draft()
		submission.save_draft(
			draft.name, {**manual_example_values(), "commitment": 1, "indicator_category": ""}
		)
		self.assertRefused("企业类型（指标类别）：请选择", submission.submit, draft.name)
		# Frappe's own Workflow step meets the same rule on the document.
		from frappe.model.workflow import apply_workflow

		doc = frappe.get_doc("Cultivation Submission", draft.name)
		doc.flags.ignore_permissions = True
		self.assertRefused("企业类型（指标类别）：请选择", apply_workflow, doc, "提交申请")
		self.assertEqual(frappe.db.get_value("Cultivation Submission", draft.name, "status"), "草稿")

	def test_the_precheck_follows_the_category(self):
		other = submission.precheck(TYPE, self.batch, {**NO_PATENT, "indicator_category": "其他"})
		construction = submission.precheck(
			TYPE, self.batch, {**NO_PATENT, "indicator_category": CONSTRUCTION}
		)
		row = lambda result, label: next(r for r in result["rows"] if r["label"].startswith(label))  # noqa: E731
		self.assertEqual(row(other, "国家级工法")["result"], "不适用")
		self.assertEqual(other["overall"], "不满足限定性指标")  # no invention patent
		self.assertEqual(row(construction, "国家级工法")["result"], "满足")
		self.assertEqual(construction["overall"], "满足限定性指标")  # 国家级工法 counts for 建筑业

	def test_a_withdrawn_category_keeps_submissions_readable_and_drafts_choose_again(self):
		draft = submission.save_draft(
			self.draft().name,
			{**manual_example_values(), "commitment": 1, "indicator_category": CONSTRUCTION},
		)
		second = submission.open_draft("技术创新示范企业", self.batch)
		submitted = submission.submit(
			second.name, {**manual_example_values(), "commitment": 1, "indicator_category": CONSTRUCTION}
		)
		frappe.set_user("Administrator")
		category = frappe.get_doc(categories.DOCTYPE, CONSTRUCTION)
		self.assertRefused(
			"“建筑业”已被2份申报选用，不能删除；请取消勾选“启用”以停用（已有申报仍可查看，未提交的草稿会被要求重新选择）",
			frappe.delete_doc,
			categories.DOCTYPE,
			CONSTRUCTION,
		)
		category.enabled = 0
		category.save()
		self.addCleanup(frappe.db.set_value, categories.DOCTYPE, CONSTRUCTION, "enabled", 1)
		frappe.set_user(self.admin)
		# The submitted one is read as it was submitted.
		read = api.get_submission(submitted.name)
		self.assertEqual((read["category"]["value"], read["category"]["withdrawn"]), (CONSTRUCTION, None))
		# The draft is asked to choose again: shown empty, with the withdrawn choice named.
		form = api.open_submission(TYPE, self.batch)
		self.assertEqual((form["category"]["value"], form["category"]["withdrawn"]), (None, CONSTRUCTION))
		self.assertNotIn(CONSTRUCTION, [c["name"] for c in form["category"]["options"]])
		submission.save_draft(draft.name, {"software_copyrights": 4})  # 暂存 keeps working
		self.assertRefused("企业类型（指标类别）：“建筑业”已停用，请重新选择", submission.submit, draft.name)
		submission.save_draft(draft.name, {"indicator_category": "医药"})
		# Choosing the withdrawn one again is refused, by the portal and on the document alike.
		message = "企业类型（指标类别）：“建筑业”不在可选范围内，请从列表中选择"
		self.assertRefused(message, submission.save_draft, draft.name, {"indicator_category": CONSTRUCTION})
		doc = frappe.get_doc("Cultivation Submission", draft.name)
		doc.indicator_category = CONSTRUCTION
		self.assertRefused(message, doc.save, True)
		done = submission.submit(draft.name)
		self.assertEqual((done.status, done.indicator_category), ("已提交", "医药"))


class TestYesNo(FormTestCase):
	def test_yes_no_questions_are_to_fill_until_answered(self):
		values = {**NO_PATENT, "national_level_methods": 0, "indicator_category": SOFTWARE, "commitment": 1}
		del values["is_big_data_enterprise"], values["cmmi_level4"]
		draft = submission.save_draft(self.draft().name, values)
		self.assertFalse(draft.is_big_data_enterprise)
		result = submission.precheck(TYPE, self.batch, values)
		by_label = {r["label"]: r["result"] for r in result["rows"]}
		self.assertEqual((by_label["属于大数据企业"], by_label["通过CMMI 4及以上等级认定"]), ("待填", "待填"))
		self.assertEqual(result["overall"], "待填")
		self.assertRefused(
			"请填写：是否属于大数据企业、是否通过CMMI 4及以上等级认定", submission.submit, draft.name
		)
		self.assertRefused(
			"是否属于大数据企业：请选择“是”或“否”",
			submission.save_draft,
			draft.name,
			{"is_big_data_enterprise": "x"},
		)
		answered = {**values, "is_big_data_enterprise": "否", "cmmi_level4": "是"}
		result = submission.precheck(TYPE, self.batch, answered)
		by_label = {r["label"]: r["result"] for r in result["rows"]}
		self.assertEqual(
			(by_label["属于大数据企业"], by_label["通过CMMI 4及以上等级认定"]), ("不满足", "满足")
		)
		self.assertEqual(result["overall"], "满足限定性指标")  # CMMI 4 is the software path
		done = submission.submit(draft.name, answered)
		self.assertEqual((done.is_big_data_enterprise, done.cmmi_level4), ("否", "是"))
		self.assertEqual(done.overall_result, "满足限定性指标")


class TestFiguresLeftEmpty(FormTestCase):
	"""MariaDB stores an empty number as 0: a reopened draft still shows the figures the enterprise left
	empty as empty (待填 in the pre-check), an entered 0 as 0, and submitting asks for them."""

	def test_a_reopened_draft_shows_empty_figures_as_to_fill(self):
		draft = self.draft()
		submission.save_draft(
			draft.name, {"indicator_category": "其他", "invention_patents": "", "software_copyrights": 0}
		)
		form = api.open_submission(TYPE, self.batch)  # the next visit
		values = {f["fieldname"]: f["value"] for f in form["indicators"]}
		self.assertIsNone(values["invention_patents"])  # left empty: shown empty, not 0
		self.assertEqual(values["software_copyrights"], 0)  # an entered 0 stays 0
		self.assertEqual(values["revenue"], 180)  # prefilled from the enterprise
		result = submission.precheck(TYPE, self.batch, {k: "" if v is None else v for k, v in values.items()})
		by_label = {r["label"]: (r["result"], r["value_display"]) for r in result["rows"]}
		self.assertEqual(by_label["发明专利"][0], "待填")
		self.assertNotEqual(by_label["发明专利"], ("不满足", "0件"))
		# Submitting names what is still empty; once entered (a 0 too), it goes.
		self.assertRefused(
			"请填写：发明专利、企业技术开发费用原值", submission.submit, draft.name, {"commitment": 1}
		)
		submission.save_draft(draft.name, {"invention_patents": 0, "rd_equipment_value": 5})
		form = api.open_submission(TYPE, self.batch)
		self.assertEqual({f["fieldname"]: f["value"] for f in form["indicators"]}["invention_patents"], 0)
		self.assertEqual(form["basic"][0]["fieldname"], "uscc")

	def test_emptying_a_figure_makes_it_to_fill_again(self):
		draft = self.draft()
		submission.save_draft(draft.name, {"invention_patents": 12})
		submission.save_draft(draft.name, {"invention_patents": ""})
		form = api.open_submission(TYPE, self.batch)
		self.assertIsNone({f["fieldname"]: f["value"] for f in form["indicators"]}["invention_patents"])


class TestPatches(FormTestCase):
	def test_earlier_checkboxes_become_answers_and_earlier_applications_category_other(self):
		from gz_innovation.patches.v1_4 import (
			indicator_category_of_earlier_applications,
			yes_no_questions_as_radio_buttons,
		)

		draft = self.draft()
		second = submission.open_draft("技术创新示范企业", self.batch)
		submitted = submission.submit(second.name, {**manual_example_values(), "commitment": 1})
		frappe.set_user("Administrator")
		# As the schema sync leaves them: the checkboxes' 0/1 as text, no category.
		for name, big_data, cmmi in ((draft.name, "0", "1"), (submitted.name, "0", "1")):
			frappe.db.set_value(
				"Cultivation Submission",
				name,
				{"is_big_data_enterprise": big_data, "cmmi_level4": cmmi, "indicator_category": None},
				update_modified=False,
			)
		# The code an application submitted before the change got: its content then (checkbox 1, no
		# category) is what code_of reads now from the unpatched record.
		from gz_innovation.cultivation import application

		earlier = application.code_of(frappe.get_doc("Cultivation Submission", submitted.name))
		frappe.db.set_value(
			"Cultivation Submission", submitted.name, "verification_code", earlier, update_modified=False
		)
		for _run in (1, 2):  # a second run changes nothing
			yes_no_questions_as_radio_buttons.execute()
			indicator_category_of_earlier_applications.execute()
			fields = ["is_big_data_enterprise", "cmmi_level4", "indicator_category"]
			self.assertEqual(
				frappe.db.get_value("Cultivation Submission", draft.name, fields), (None, "是", None)
			)  # never submitted: an unticked box was no answer yet, and the category is to choose
			self.assertEqual(
				frappe.db.get_value("Cultivation Submission", submitted.name, fields), ("否", "是", "其他")
			)
		# Its printed code still verifies: 否 and 其他 are neutral, 是 reads as the checkbox's 1.
		self.assertIsNotNone(application.verify(earlier))
