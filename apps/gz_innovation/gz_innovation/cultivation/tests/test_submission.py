"""Indicator submissions: who may submit, the window, the commitment, one live submission,
bad values, the workflow with return and resubmit, notifications and re-evaluation."""

import frappe
from frappe.model.workflow import apply_workflow
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, now_datetime

from gz_innovation.accounts.tests.utils import create_user, delete_users, use_capture_provider
from gz_innovation.cultivation import reevaluation, submission
from gz_innovation.cultivation.tests.utils import delete_batches, manual_example_values, open_batch
from gz_innovation.enterprise.tests.utils import (
	create_certified_enterprise,
	create_regulator,
	create_staff,
	delete_enterprises,
	ensure_outgoing_email_account,
)

TYPE = "企业技术中心"


class SubmissionTestCase(FrappeTestCase):
	def setUp(self):
		frappe.local.lang = "zh"
		use_capture_provider()
		ensure_outgoing_email_account()
		self.batch = open_batch()
		self.admin = create_user()
		self.enterprise = create_certified_enterprise(self.admin)
		self.staff = create_staff(self.enterprise)
		self.city_reviewer = create_regulator(city="贵阳市")  # the enterprise's city
		self.regulator = create_regulator()  # 省厅
		self.addCleanup(delete_users, [self.admin, self.staff, self.city_reviewer, self.regulator])
		self.addCleanup(delete_enterprises, [self.enterprise])
		self.addCleanup(delete_batches, [self.batch])
		self.addCleanup(frappe.set_user, "Administrator")
		frappe.set_user(self.admin)

	def assertRefused(self, message, func, *args):
		with self.assertRaises((frappe.ValidationError, frappe.PermissionError)) as raised:
			func(*args)
		self.assertEqual(str(raised.exception), message)

	def filled(self, **overrides):
		doc = submission.open_draft(TYPE, self.batch)
		return submission.save_draft(doc.name, {**manual_example_values(), "commitment": 1, **overrides})

	def act(self, name, action, comment=None):
		"""The reviewer of the submission's current stage takes the action."""
		status = frappe.db.get_value("Cultivation Submission", name, "status")
		frappe.set_user(self.city_reviewer if status in ("已提交", "市州初审") else self.regulator)
		doc = frappe.get_doc("Cultivation Submission", name)
		if comment is not None:
			doc.review_comment = comment
			doc.save()
		apply_workflow(doc, action)
		frappe.set_user(self.admin)
		return frappe.get_doc("Cultivation Submission", name)


class TestSubmission(SubmissionTestCase):
	def test_draft_prefilled_from_the_enterprise_then_submitted_and_evaluated(self):
		draft = submission.open_draft(TYPE, self.batch)
		self.assertEqual(draft.status, "草稿")
		self.assertEqual(draft.uscc, self.enterprise)
		self.assertEqual(
			draft.enterprise_name, frappe.db.get_value("Enterprise", self.enterprise, "enterprise_name")
		)
		self.assertEqual(submission.open_draft(TYPE, self.batch).name, draft.name)  # one live submission
		doc = submission.submit(self.filled().name)
		self.assertEqual(doc.status, "已提交")
		self.assertEqual(
			[(r.seq, r.label, r.value_display, r.result) for r in doc.evaluation][:4],
			[
				(1, "发明专利", "12件", "满足"),
				(2, "企业研发经费支出", "28.00%", "满足"),
				(3, "规模以上企业(营业收入2000万以上)", "180.0万元", "不满足"),
				(4, "研发原值", "5万元", "不满足"),
			],
		)
		self.assertEqual({r.result for r in doc.evaluation[4:]}, {"不适用"})  # other categories' paths
		self.assertEqual(doc.overall_result, "不满足限定性指标")
		self.assertEqual(doc.recognition_status, "不满足限定性指标")
		self.assertEqual(doc.rule_version, 1)
		self.assertRefused(
			"申报当前为已提交状态，不能修改", submission.save_draft, doc.name, {"revenue": 3000}
		)

	def test_precheck_saves_nothing_and_shows_to_fill(self):
		result = submission.precheck(TYPE, self.batch, {"invention_patents": 2, "indicator_category": "其他"})
		self.assertEqual([r["result"] for r in result["rows"]][:4], ["满足", "待填", "待填", "待填"])
		self.assertEqual({r["result"] for r in result["rows"][4:]}, {"不适用"})
		self.assertEqual(result["overall"], "待填")
		self.assertFalse(frappe.db.exists("Cultivation Submission", {"enterprise": self.enterprise}))

	def test_commitment_is_required(self):
		doc = self.filled(commitment=0)
		self.assertRefused("请阅读并勾选《真实性承诺说明》", submission.submit, doc.name)

	def test_division_by_zero_is_refused(self):
		doc = self.filled(revenue=0)
		self.assertRefused(
			"企业研发经费支出：规模以上企业营业收入 (万元)为0，无法计算", submission.submit, doc.name
		)
		self.assertEqual(frappe.db.get_value("Cultivation Submission", doc.name, "status"), "草稿")

	def test_bad_values_name_the_field_and_change_nothing(self):
		doc = submission.open_draft(TYPE, self.batch)
		cases = [
			({"revenue": -1}, "规模以上企业营业收入 (万元)：不能为负数"),
			({"revenue": "abc"}, "规模以上企业营业收入 (万元)：请输入数字"),
			({"revenue": 1e12}, "规模以上企业营业收入 (万元)：金额过大，单位为万元"),
			({"invention_patents": 1.5}, "发明专利 (件)：请输入整数"),
			({"invention_patents": 10**9}, "发明专利 (件)：数值过大"),
			({"status": "培育中"}, "以下字段不能在此修改：status"),
			({"enterprise": "91520100000000000X"}, "以下字段不能在此修改：enterprise"),
		]
		for values, message in cases:
			with self.subTest(values=values):
				self.assertRefused(message, submission.save_draft, doc.name, values)
		after = frappe.get_doc("Cultivation Submission", doc.name)
		self.assertEqual(
			(after.status, after.enterprise, after.revenue), ("草稿", self.enterprise, doc.revenue)
		)

	def test_outside_the_window_nothing_is_submitted(self):
		doc = self.filled()
		frappe.db.set_value("Cultivation Batch", self.batch, "closes_at", add_days(now_datetime(), -1))
		self.assertRegex(self.refusal(submission.submit, doc.name), r"^本批次已于.+（北京时间）截止申报$")
		later = open_batch(days_open=-1, days_left=5)  # opens tomorrow
		self.addCleanup(delete_batches, [later])
		self.assertRegex(
			self.refusal(submission.open_draft, TYPE, later), r"^本批次将于.+（北京时间）开始申报$"
		)
		self.assertEqual(frappe.db.get_value("Cultivation Submission", doc.name, "status"), "草稿")

	def refusal(self, func, *args) -> str:
		with self.assertRaises(frappe.ValidationError) as raised:
			func(*args)
		return str(raised.exception)

	def test_only_the_enterprise_admin_may_submit(self):
		doc = self.filled()
		frappe.set_user(self.staff)
		self.assertRefused("只有企业管理员（主账号）可以进行培育申报业务操作", submission.submit, doc.name)
		self.assertRefused(
			"只有企业管理员（主账号）可以进行培育申报业务操作", submission.open_draft, TYPE, self.batch
		)
		outsider = create_user()
		self.addCleanup(delete_users, [outsider])
		frappe.set_user(outsider)
		self.assertRefused("只有企业管理员可以填报指标，请先完成企业认证", submission.submit, doc.name)

	def test_staff_read_only_when_the_admin_allows(self):
		doc = self.filled()
		frappe.set_user(self.staff)
		self.assertRefused("企业管理员尚未授予您查看培育申报的权限", submission.readable_submission, doc.name)
		frappe.set_user(self.admin)
		from gz_innovation.enterprise.membership import set_staff_roles

		set_staff_roles(self.enterprise, self.staff, ["GZ Cultivation Viewer"])
		frappe.set_user(self.staff)
		self.assertEqual(submission.readable_submission(doc.name).name, doc.name)
		self.assertRefused(
			"只有企业管理员（主账号）可以进行培育申报业务操作",
			submission.save_draft,
			doc.name,
			{"revenue": 1},
		)

	def test_another_enterprise_cannot_touch_it(self):
		doc = self.filled()
		other_admin = create_user()
		other = create_certified_enterprise(other_admin)
		self.addCleanup(delete_users, [other_admin])
		self.addCleanup(delete_enterprises, [other])
		frappe.set_user(other_admin)
		self.assertRefused("该申报属于其他企业", submission.submit, doc.name)
		self.assertRefused("该申报属于其他企业", submission.save_draft, doc.name, {"revenue": 1})
		self.assertFalse(
			frappe.has_permission(
				"Cultivation Submission", "read", frappe.get_doc("Cultivation Submission", doc.name)
			)
		)
		self.assertEqual(frappe.get_list("Cultivation Submission", filters={"name": doc.name}), [])


class TestReview(SubmissionTestCase):
	def test_return_with_reason_resubmit_and_evaluate_again(self):
		doc = submission.submit(self.filled().name)
		doc = self.act(doc.name, "受理")
		self.assertEqual(doc.status, "市州初审")
		with self.assertRaises(frappe.ValidationError):
			self.act(doc.name, "退回修改", comment="")
		doc = self.act(doc.name, "退回修改", comment="研发原值与财务报表不符")
		self.assertEqual(doc.status, "退回修改")
		mobile = frappe.db.get_value("User", self.admin, "mobile_no")
		sms = frappe.get_last_doc("GZ SMS Log", filters={"mobile": mobile})
		self.assertEqual(sms.purpose, "cultivation_status")
		self.assertIn("研发原值与财务报表不符", sms.message)
		# The enterprise fixes and resubmits: evaluated again.
		submission.save_draft(doc.name, {"revenue": 2600, "rd_equipment_value": 600, "rd_expenditure": 120})
		doc = submission.submit(doc.name)
		self.assertEqual(doc.status, "已提交")
		self.assertEqual(doc.overall_result, "满足限定性指标")
		self.assertEqual(doc.recognition_status, "待培育")
		for action, state in [
			("受理", "市州初审"),
			("初审通过", "省厅审核"),
			("审核通过", "培育中"),
			("培育完成", "培育完成"),
		]:
			doc = self.act(doc.name, action)
			self.assertEqual(doc.status, state)
		self.assertEqual(doc.recognition_status, "培育完成")
		from gz_innovation.cultivation.review import history

		steps = history(doc.name)
		self.assertEqual(
			[s["state"] for s in steps],
			["已提交", "市州初审", "退回修改", "已提交", "市州初审", "省厅审核", "培育中", "培育完成"],
		)
		self.assertIn("研发原值与财务报表不符", steps[2]["comment"])

	def test_the_two_review_stages_belong_to_different_reviewers(self):
		from frappe.model.workflow import WorkflowTransitionError

		doc = submission.submit(self.filled().name)
		frappe.set_user(self.regulator)  # 省厅 cannot take the 市州 stage
		with self.assertRaises(WorkflowTransitionError):
			apply_workflow(frappe.get_doc("Cultivation Submission", doc.name), "受理")
		self.assertEqual(frappe.db.get_value("Cultivation Submission", doc.name, "status"), "已提交")
		doc = self.act(doc.name, "受理")
		doc = self.act(doc.name, "初审通过")
		frappe.set_user(self.city_reviewer)  # and 市州 cannot take the 省厅 stage
		with self.assertRaises(WorkflowTransitionError):
			apply_workflow(frappe.get_doc("Cultivation Submission", doc.name), "审核通过")
		self.assertEqual(frappe.db.get_value("Cultivation Submission", doc.name, "status"), "省厅审核")

	def test_split_stages_patch_runs_twice_and_keeps_reviewers_working(self):
		from gz_innovation.enterprise.roles import CITY_REVIEWER_ROLE, PROVINCE_REVIEWER_ROLE
		from gz_innovation.patches.v1_2 import split_cultivation_review_stages

		frappe.set_user("Administrator")
		old = create_regulator(city="遵义市")
		self.addCleanup(delete_users, [old])
		frappe.get_doc("User", old).remove_roles(CITY_REVIEWER_ROLE)  # a reviewer made before the split
		split_cultivation_review_stages.execute()
		split_cultivation_review_stages.execute()
		self.assertIn(CITY_REVIEWER_ROLE, frappe.get_roles(old))
		self.assertNotIn(PROVINCE_REVIEWER_ROLE, frappe.get_roles(old))
		allowed = {
			(t.state, t.action): t.allowed
			for t in frappe.get_doc("Workflow", "Cultivation Review").transitions
		}
		self.assertEqual(allowed[("已提交", "受理")], CITY_REVIEWER_ROLE)
		self.assertEqual(allowed[("省厅审核", "审核通过")], PROVINCE_REVIEWER_ROLE)

	def test_city_reviewers_see_only_their_region(self):
		doc = submission.submit(self.filled().name)
		for city, sees in [("贵阳市", True), ("遵义市", False)]:
			reviewer = create_regulator(city=city)
			self.addCleanup(delete_users, [reviewer])
			frappe.set_user(reviewer)
			names = frappe.get_list("Cultivation Submission", pluck="name", limit_page_length=0)
			self.assertEqual(doc.name in names, sees, city)

	def test_a_rule_added_later_appears_in_every_open_submission(self):
		doc = submission.submit(self.filled().name)
		frappe.set_user("Administrator")
		rule_set = frappe.get_doc("Cultivation Rule Set", doc.rule_set)
		rule_set.append(
			"rules",
			{
				"label": "软件著作权",
				"expression": "software_copyrights",
				"operator": ">=",
				"threshold": 1,
				"unit": "件",
				"rule_group": "A",
			},
		)
		rule_set.save()
		reevaluation.reevaluate(rule_set.name)
		doc = frappe.get_doc("Cultivation Submission", doc.name)
		self.assertEqual(len(doc.evaluation), len(rule_set.rules))
		self.assertEqual((doc.evaluation[-1].label, doc.evaluation[-1].value_display), ("软件著作权", "3件"))
		self.assertEqual([r.seq for r in doc.evaluation], list(range(1, len(rule_set.rules) + 1)))

	def test_rule_change_reevaluates_open_submissions_with_history(self):
		doc = submission.submit(self.filled().name)
		self.assertEqual(doc.overall_result, "不满足限定性指标")
		frappe.set_user("Administrator")
		rule_set = frappe.get_doc("Cultivation Rule Set", doc.rule_set)
		for rule in rule_set.rules:
			if rule.expression == "revenue":
				rule.threshold = 100
			if rule.expression == "rd_equipment_value":
				rule.threshold = 5
		rule_set.save()
		self.assertEqual(rule_set.version, 2)
		result = reevaluation.reevaluate(rule_set.name)
		self.assertEqual(result["changed"], 1)
		doc = frappe.get_doc("Cultivation Submission", doc.name)
		self.assertEqual((doc.overall_result, doc.rule_version), ("满足限定性指标", 2))
		self.assertEqual([r.result for r in doc.evaluation][:4], ["满足", "满足", "满足", "满足"])
		self.assertEqual({r.result for r in doc.evaluation[4:]}, {"不适用"})  # re-evaluated as 不适用
		revenue_row = next(r for r in doc.evaluation if "营业收入" in r.label)
		self.assertIn("100", revenue_row.threshold_display)  # the row shows the new threshold
		comment = frappe.get_last_doc("Comment", filters={"reference_name": doc.name, "comment_type": "Info"})
		self.assertEqual(
			comment.content, "评定规则已更新（第1版 → 第2版）：不满足限定性指标 → 满足限定性指标"
		)

	def test_reevaluation_judges_rules_that_no_longer_apply_as_not_applicable(self):
		doc = submission.submit(self.filled().name)
		self.assertEqual(doc.overall_result, "不满足限定性指标")  # 规模以上 and 研发原值 fail
		frappe.set_user("Administrator")
		rule_set = frappe.get_doc("Cultivation Rule Set", doc.rule_set)
		for rule in rule_set.rules:
			if rule.expression in ("revenue", "rd_equipment_value"):
				rule.condition = 'indicator_category in ["建筑业", "医药"]'
		rule_set.save()
		result = reevaluation.reevaluate(rule_set.name)
		self.assertEqual(result["changed"], 1)
		doc = frappe.get_doc("Cultivation Submission", doc.name)
		self.assertEqual(
			[(r.label, r.result) for r in doc.evaluation][:4],
			[
				("发明专利", "满足"),
				("企业研发经费支出", "满足"),
				("规模以上企业(营业收入2000万以上)", "不适用"),
				("研发原值", "不适用"),
			],
		)
		self.assertEqual(
			doc.evaluation[2].explanation, "不适用：仅当企业类型（指标类别）属于（建筑业、医药）时适用"
		)
		self.assertEqual(doc.overall_result, "满足限定性指标")  # 不适用 no longer counts against it
		self.assertEqual(doc.recognition_status, "待培育")


class TestCenter(SubmissionTestCase):
	def test_the_center_lists_open_then_upcoming_batches_and_only_the_latest_closed(self):
		from gz_innovation.cultivation import api
		from gz_innovation.cultivation.setup import ensure_batch

		now = now_datetime()
		upcoming = "测试批次-未开始-" + frappe.generate_hash(length=8)
		ensure_batch(upcoming, 2027, str(add_days(now, 3)), str(add_days(now, 30)), types=[TYPE])
		closed = []
		for seconds in (1, 2, 3, 4):  # the four most recently closed batches of the site
			name = f"测试批次-已截止{seconds}-" + frappe.generate_hash(length=8)
			opens_at = add_days(now, -30)
			ensure_batch(name, 2026, str(opens_at), str(frappe.utils.add_to_date(now, seconds=-seconds)))
			closed.append(name)
		self.addCleanup(delete_batches, [upcoming, *closed])
		frappe.db.commit()  # nosemgrep

		center = api.get_center()
		states = {b.name: b.state for b in center["batches"]}
		names = [b.name for b in center["batches"]]
		self.assertEqual(states[self.batch], "open")
		self.assertEqual(states[upcoming], "upcoming")
		self.assertLess(names.index(self.batch), names.index(upcoming))
		# Only the three latest closed batches are listed, newest first, after the current ones.
		self.assertEqual([n for n in names if states[n] == "closed"], closed[:3])
		self.assertEqual(names[-3:], closed[:3])
		self.assertNotIn(closed[3], names)
		# Each batch comes with its own types; only an open batch can be filled.
		self.assertEqual(next(b for b in center["batches"] if b.name == upcoming).types, [TYPE])
		self.assertNotIn("open", [b.state for b in center["batches"] if b.name in (upcoming, *closed)])
