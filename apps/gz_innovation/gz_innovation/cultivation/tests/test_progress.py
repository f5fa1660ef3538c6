"""Who acts next (申报详情 and 创新平台管理中心): who holds the submission, since when, the deadline the
enterprise must meet (never the reviewers' stage deadlines), what the enterprise must do now; a return's reason with the fields it names;
a batch offers only the types that have a rule set."""

import frappe
from frappe.utils import add_days, get_datetime, now_datetime

from gz_innovation.cultivation import api, progress, submission
from gz_innovation.cultivation.tests.test_submission import SubmissionTestCase
from gz_innovation.cultivation.tests.utils import delete_batches, open_batch


class TestWhoActsNext(SubmissionTestCase):
	def setUp(self):
		super().setUp()
		frappe.set_user("Administrator")
		batch = frappe.get_doc("Cultivation Batch", self.batch)
		batch.city_review_deadline = add_days(now_datetime(), 5)
		batch.province_review_deadline = add_days(now_datetime(), 9)
		batch.save()
		frappe.set_user(self.admin)

	def step(self, name) -> dict:
		return api.get_submission(name)["progress"]

	def test_each_state_says_who_holds_it_until_when_and_what_to_do(self):
		draft = self.filled()
		closes_at, city, province = frappe.db.get_value(
			"Cultivation Batch", self.batch, ["closes_at", "city_review_deadline", "province_review_deadline"]
		)
		step = self.step(draft.name)
		self.assertEqual((step["holder"], step["holder_label"]), ("enterprise", "企业"))
		self.assertEqual(step["deadline"], str(closes_at)[:16])
		self.assertIn("提交申请", step["todo"])
		self.assertFalse(step["overdue"])

		doc = submission.submit(draft.name)
		step = self.step(doc.name)
		self.assertEqual((step["holder"], step["holder_label"]), ("city", "市州初审"))
		self.assertEqual(step["since"], str(doc.stage_entered_at)[:16])
		# The 市州初审 deadline is the reviewers' (Desk): the enterprise that submitted on time is not
		# shown a deadline it does not have to meet.
		self.assertEqual((step["deadline"], step["deadline_iso"], step["overdue"]), ("", "", False))
		self.assertNotEqual(str(city)[:16], "")
		self.assertIn("无需操作", step["todo"])

		doc = self.act(doc.name, "受理")
		self.assertEqual(self.step(doc.name)["holder"], "city")
		doc = self.act(doc.name, "初审通过")
		step = self.step(doc.name)
		self.assertEqual(
			(step["holder"], step["holder_label"], step["deadline"]),
			("province", "省厅审核", ""),
		)
		self.assertTrue(province)

		doc = self.act(doc.name, "退回修改", comment="研发原值请按财务报表填写；单位联系人电话有误")
		form = api.get_submission(doc.name)
		self.assertEqual(form["progress"]["holder"], "enterprise")
		self.assertIn("重新提交", form["progress"]["todo"])
		self.assertEqual(form["returned"]["reason"], "研发原值请按财务报表填写；单位联系人电话有误")
		# 研发原值 is the rule's label for 企业技术开发费用原值; 联系人电话 names a basic field.
		self.assertEqual(
			{f["fieldname"] for f in form["returned"]["fields"]}, {"rd_equipment_value", "contact_phone"}
		)
		self.assertFalse(
			form["read_only"]
		)  # a returned submission stays editable, even after the batch closes

	def test_a_review_stage_past_its_deadline_never_tells_the_enterprise_it_is_late(self):
		doc = submission.submit(self.filled().name)
		frappe.db.set_value(
			"Cultivation Batch", self.batch, "city_review_deadline", add_days(now_datetime(), -1)
		)
		from gz_innovation.cultivation import batches

		batches.forget()
		step = self.step(doc.name)
		self.assertEqual((step["holder"], step["overdue"], step["deadline"]), ("city", False, ""))

	def test_the_center_lists_who_holds_each_record(self):
		doc = submission.submit(self.filled().name)
		record = next(r for r in api.get_center()["records"] if r.name == doc.name)
		self.assertEqual(record.progress["holder_label"], "市州初审")


class TestTypesWithoutRuleSet(SubmissionTestCase):
	def test_a_batch_offers_only_the_types_that_have_a_rule_set(self):
		frappe.set_user("Administrator")
		bare = open_batch(with_rule_sets=False, prefix="无规则批次-")
		self.addCleanup(delete_batches, [bare])
		frappe.set_user(self.admin)
		listed = next(b for b in api.get_center()["batches"] if b.name == bare)
		self.assertEqual(listed.ready_types, [])
		self.assertEqual(len(listed.types), 3)
		self.assertEqual(progress.holder_label(None), "已办结")
		# A rule set added in Desk opens the type at once.
		from gz_innovation.cultivation.setup import RULE_SETS, ensure_rule_set

		frappe.set_user("Administrator")
		ensure_rule_set("企业技术中心", bare, RULE_SETS["企业技术中心"])
		frappe.set_user(self.admin)
		listed = next(b for b in api.get_center()["batches"] if b.name == bare)
		self.assertEqual(listed.ready_types, ["企业技术中心"])
