"""The department's reports against data the tests make: 培育申报汇总, 指标达标分析, 审核时效 and
企业认证统计 — their figures, the 市州 reviewer's scope, the empty state, and the Excel export
(opened with openpyxl) through Frappe's own export endpoint, recorded in the audit trail."""

import io
import json
from urllib.parse import unquote

import frappe
from frappe.tests.utils import FrappeTestCase

from gz_innovation.accounts.tests.test_login import Browser
from gz_innovation.accounts.tests.utils import PASSWORD, create_user, delete_users, use_capture_provider
from gz_innovation.audit import trail
from gz_innovation.cultivation.report.cultivation_submission_summary import cultivation_submission_summary
from gz_innovation.cultivation.report.indicator_pass_analysis import indicator_pass_analysis
from gz_innovation.cultivation.report.review_timeliness import review_timeliness
from gz_innovation.cultivation.tests.department import (
	GOOD,
	GUIYANG,
	SMALL,
	ZUNYI,
	days_from_now,
	delete_batches,
	enterprise_in,
	new_batch,
	set_step_times,
	step,
	submitted,
)
from gz_innovation.enterprise.report.enterprise_certification_statistics import (
	enterprise_certification_statistics,
)
from gz_innovation.enterprise.tests.utils import (
	create_certified_enterprise,
	create_regulator,
	delete_enterprises,
	new_uscc,
)
from gz_innovation.utils import server_set

CENTRE, DEMO, DESIGN = "企业技术中心", "技术创新示范企业", "工业设计中心"
# 已提交, 省厅审核, 退回修改, 草稿 (states 1, 3, 6, 0), then the totals and results.
FIGURES = (
	"state_1",
	"state_3",
	"state_6",
	"state_0",
	"submitted",
	"satisfied",
	"not_satisfied",
	"satisfied_share",
)
SUMMARY_HEADINGS = [
	"培育类型",
	*("草稿", "已提交", "市州初审", "省厅审核", "培育中", "培育完成", "退回修改"),
	*("已提交合计", "满足", "不满足", "满足率（%）"),
]


def run_as(user, report, filters):
	frappe.set_user(user)
	try:
		return report.execute(frappe._dict(filters))
	finally:
		frappe.set_user("Administrator")


def by_group(data, key="group_value"):
	return {row[key]: row for row in data}


class DepartmentReportsTestCase(FrappeTestCase):
	"""One batch: s1 (贵阳, 企业技术中心, fails only revenue) reached 省厅审核; s2 (贵阳, 企业技术中心,
	meets all) waits for 受理; s3 (遵义, 技术创新示范企业, meets all) was returned; d4 (贵阳,
	工业设计中心) is a draft. The city deadline passed a day ago, the province one is 10 days away."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.local.lang = "zh"
		use_capture_provider()
		cls.batch = new_batch(
			opened_days_ago=20,
			deadlines={
				"city_review_deadline": days_from_now(-1),
				"province_review_deadline": days_from_now(10),
			},
		)
		cls.empty_batch = new_batch()
		(cls.e1, cls.a1), (cls.e2, cls.a2), (cls.e3, cls.a3) = (
			enterprise_in(GUIYANG),
			enterprise_in(GUIYANG),
			enterprise_in(ZUNYI),
		)
		cls.guiyang = create_regulator(city=GUIYANG)
		cls.zunyi = create_regulator(city=ZUNYI)
		cls.province = create_regulator()
		cls.s1 = submitted(cls.a1, cls.batch, CENTRE, SMALL)
		step(cls.s1, "受理", cls.guiyang)
		step(cls.s1, "初审通过", cls.guiyang)
		set_step_times(cls.s1, [10, 8, 5])
		cls.s2 = submitted(cls.a2, cls.batch, CENTRE, GOOD)
		set_step_times(cls.s2, [3])
		cls.s3 = submitted(cls.a3, cls.batch, DEMO, GOOD)
		step(cls.s3, "受理", cls.zunyi)
		step(cls.s3, "退回修改", cls.zunyi, comment="请补充发明专利证书")
		set_step_times(cls.s3, [6, 4, 2])
		cls.d4 = submitted(cls.a2, cls.batch, DESIGN, GOOD, submit=False)
		cls.addClassCleanup(delete_users, [cls.a1, cls.a2, cls.a3, cls.guiyang, cls.zunyi, cls.province])
		cls.addClassCleanup(delete_enterprises, [cls.e1, cls.e2, cls.e3])
		cls.addClassCleanup(delete_batches, [cls.batch, cls.empty_batch])

	def setUp(self):
		frappe.local.lang = "zh"
		frappe.set_user("Administrator")


class TestSubmissionSummary(DepartmentReportsTestCase):
	def test_figures_by_type_with_totals(self):
		columns, data, message, chart = run_as(
			"Administrator",
			cultivation_submission_summary,
			{"batch": self.batch, "group_by": "cultivation_type"},
		)
		self.assertIsNone(message)
		self.assertEqual(
			[c["label"] for c in columns],
			SUMMARY_HEADINGS,
		)
		rows = by_group(data)
		figures = {group: tuple(row[key] for key in FIGURES) for group, row in rows.items()}
		self.assertEqual(
			figures,
			{
				CENTRE: (1, 1, 0, 0, 2, 1, 1, 50.0),
				DEMO: (0, 0, 1, 0, 1, 1, 0, 100.0),
				DESIGN: (0, 0, 0, 1, 0, 0, 0, None),
				"合计": (1, 1, 1, 1, 3, 2, 1, 66.7),
			},
		)
		self.assertEqual(data[-1]["group_value"], "合计")
		self.assertEqual(chart["data"]["datasets"][0]["name"], "满足限定性指标")

	def test_by_city(self):
		_columns, data, *_ = run_as(
			"Administrator", cultivation_submission_summary, {"batch": self.batch, "group_by": "city"}
		)
		rows = by_group(data)
		self.assertEqual(
			{g: (r["submitted"], r["state_0"]) for g, r in rows.items()},
			{
				GUIYANG: (2, 1),
				ZUNYI: (1, 0),
				"合计": (3, 1),
			},
		)

	def test_a_city_reviewer_counts_their_city_only(self):
		_columns, data, *_ = run_as(self.guiyang, cultivation_submission_summary, {"batch": self.batch})
		self.assertEqual(sorted(by_group(data)), sorted([CENTRE, DESIGN, "合计"]))
		self.assertEqual(by_group(data)["合计"]["submitted"], 2)
		# asking for another city's rows gives none
		_columns, data, message, *_ = run_as(
			self.guiyang, cultivation_submission_summary, {"batch": self.batch, "city": ZUNYI}
		)
		self.assertEqual(data, [])
		self.assertIn(self.batch, message)
		_columns, data, *_ = run_as(self.zunyi, cultivation_submission_summary, {"batch": self.batch})
		self.assertEqual(sorted(by_group(data)), sorted([DEMO, "合计"]))

	def test_a_batch_without_submissions_shows_an_empty_state(self):
		columns, data, message = run_as(
			"Administrator", cultivation_submission_summary, {"batch": self.empty_batch}
		)
		self.assertEqual(data, [])
		self.assertEqual(message, f"{self.empty_batch} 中没有符合条件的申报。")
		self.assertTrue(columns)


class TestIndicatorPassAnalysis(DepartmentReportsTestCase):
	def test_passes_fails_and_spread_of_each_rule(self):
		rule_set = f"{CENTRE}-{self.batch}"
		_columns, data, _message, _chart, summary = run_as(
			"Administrator", indicator_pass_analysis, {"rule_set": rule_set}
		)
		self.assertEqual(
			[
				(r["seq"], r["label"], r["evaluated"], r["passed"], r["failed"], r["not_applicable"])
				for r in data
			],
			[
				(1, "发明专利", 2, 2, 0, 0),
				(2, "企业研发经费支出", 2, 2, 0, 0),
				(3, "规模以上企业(营业收入2000万以上)", 2, 1, 1, 0),
				(4, "研发原值", 2, 2, 0, 0),
				# The categories' alternative paths apply to neither (category 其他): no spread either.
				(5, "国家级工法（含国家工法）", 0, 0, 0, 2),
				(6, "国家新药或国家一级中药品种", 0, 0, 0, 2),
				(7, "植物新品种或国家农作物品种", 0, 0, 0, 2),
				(8, "属于大数据企业", 0, 0, 0, 2),
				(9, "通过CMMI 4及以上等级认定", 0, 0, 0, 2),
			],
		)
		self.assertEqual(
			[(r.get("minimum"), r.get("median"), r.get("maximum")) for r in data],
			[(12, 16, 20), (6, 17, 28), (180, 2590, 5000), (600, 700, 800), *[(None, None, None)] * 5],
		)
		self.assertEqual(data[2]["condition"], "≥2000.0万元")
		self.assertEqual([s["value"] for s in summary], [2, 1])

	def test_a_trial_threshold_shows_what_it_would_change(self):
		rule_set = f"{CENTRE}-{self.batch}"
		*_, data, _message, _chart, summary = run_as(
			"Administrator",
			indicator_pass_analysis,
			{"rule_set": rule_set, "trial_rule": 3, "trial_threshold": 100},
		)
		self.assertEqual(data[2]["trial_condition"], "≥100.0万元")
		self.assertEqual(data[2]["trial_passed"], 2)
		self.assertNotIn("trial_passed", data[0])
		self.assertEqual([s["value"] for s in summary], [2, 1, 2])  # one more would meet all rules

	def test_a_bad_trial_is_refused_with_the_field_named(self):
		rule_set = f"{CENTRE}-{self.batch}"
		for trial, message in (
			({"trial_rule": 3, "trial_threshold": "两千"}, "试算：阈值：请输入数字"),
			({"trial_rule": 99, "trial_threshold": "100"}, "试算：规则序号：没有此序号的规则"),
		):
			with self.subTest(trial=trial), self.assertRaises(frappe.ValidationError) as raised:
				run_as("Administrator", indicator_pass_analysis, {"rule_set": rule_set, **trial})
			self.assertEqual(str(raised.exception), message)

	def test_scope_and_empty_state(self):
		rule_set = f"{CENTRE}-{self.batch}"
		_columns, data, message = run_as(self.zunyi, indicator_pass_analysis, {"rule_set": rule_set})
		self.assertEqual(data, [])
		self.assertIn(rule_set, message)
		_columns, data, message = run_as(
			"Administrator", indicator_pass_analysis, {"rule_set": f"{CENTRE}-{self.empty_batch}"}
		)
		self.assertEqual(data, [])


class TestReviewTimeliness(DepartmentReportsTestCase):
	def test_stage_times_and_items_over_their_deadline(self):
		_columns, data, _message, _chart, summary = run_as(
			"Administrator", review_timeliness, {"batch": self.batch}
		)
		rows = {row["name"]: row for row in data}
		self.assertEqual(sorted(rows), sorted([self.s1, self.s2, self.s3]))  # not the draft
		figures = {
			name: (r["city_days"], r["city_overdue"], r["province_days"], r["province_overdue"])
			for name, r in rows.items()
		}
		self.assertEqual(
			figures,
			{
				self.s1: (5.0, None, 5.0, None),  # left 市州初审 before the deadline
				self.s2: (3.0, 1.0, None, None),  # still waiting, the deadline passed a day ago
				self.s3: (4.0, None, None, None),  # returned before the deadline
			},
		)
		self.assertEqual([s["value"] for s in summary], ["4.0", 1, "5.0", 0])
		_columns, data, *_ = run_as(
			"Administrator", review_timeliness, {"batch": self.batch, "overdue_only": 1}
		)
		self.assertEqual([row["name"] for row in data], [self.s2])

	def test_scope_and_empty_state(self):
		_columns, data, *_ = run_as(self.guiyang, review_timeliness, {"batch": self.batch})
		self.assertEqual(sorted(row["name"] for row in data), sorted([self.s1, self.s2]))
		_columns, data, message = run_as("Administrator", review_timeliness, {"batch": self.empty_batch})
		self.assertEqual(data, [])
		self.assertIn(self.empty_batch, message)


class TestEnterpriseCertificationStatistics(DepartmentReportsTestCase):
	def counts(self, user=None, **filters):
		_columns, data = run_as(user or "Administrator", enterprise_certification_statistics, filters)[:2]
		return {row["city"]: row for row in data}

	def test_counts_by_city_and_state(self):
		before = self.counts()
		certified = create_certified_enterprise(create_user(), city=ZUNYI, county="红花岗区")
		applicant = create_user()
		in_review = frappe.get_doc(
			{
				"doctype": "Enterprise",
				"enterprise_name": "统计测试企业",
				"uscc": new_uscc("520300"),
				"city": ZUNYI,
				"county": "汇川区",
			}
		)
		server_set(in_review, applicant=applicant)  # as the certification's first step does
		in_review.insert(ignore_permissions=True)
		in_review.db_set("certification_status", "审核中")
		frappe.db.commit()  # nosemgrep
		users = [frappe.db.get_value("Enterprise", certified, "enterprise_admin"), applicant]
		self.addCleanup(delete_users, users)
		self.addCleanup(delete_enterprises, [certified, in_review.name])
		after = self.counts()
		# 草稿 审核中 退回修改 已认证 驳回 are state_0 .. state_4
		delta = {
			city: tuple(after[city][key] - before[city][key] for key in ("state_1", "state_3", "total"))
			for city in (ZUNYI, GUIYANG, "合计")
		}
		self.assertEqual(delta, {ZUNYI: (1, 1, 2), GUIYANG: (0, 0, 0), "合计": (1, 1, 2)})
		self.assertEqual(list(after)[:2], [GUIYANG, "六盘水市"])  # the region master's order
		self.assertEqual(list(after)[-1], "合计")

	def test_a_city_reviewer_sees_their_city(self):
		rows = self.counts(self.zunyi)
		self.assertEqual(list(rows), [ZUNYI, "合计"])
		self.assertEqual(rows[ZUNYI]["total"], self.counts()[ZUNYI]["total"])
		self.assertEqual(self.counts(self.zunyi, city=GUIYANG), {})  # another city's rows: none


class TestExcelExport(DepartmentReportsTestCase):
	def test_a_city_reviewer_exports_the_summary_with_chinese_headings(self):
		from openpyxl import load_workbook

		browser = Browser(ip="10.20.30.40")
		username = frappe.db.get_value("User", self.guiyang, "username")
		self.assertEqual(browser.login(username, PASSWORD).status_code, 200)
		response = browser.post(
			"/api/method/frappe.desk.query_report.export_query",
			{
				"report_name": "Cultivation Submission Summary",
				"file_format_type": "Excel",
				"filters": json.dumps({"batch": self.batch, "group_by": "cultivation_type"}),
				"visible_idx": "[]",
				"include_indentation": 0,
			},
		)
		self.assertEqual(response.status_code, 200, response.data[:300])
		disposition = unquote(response.headers["Content-Disposition"])
		self.assertIn("filename*=UTF-8''培育申报汇总.xlsx", disposition)
		sheet = load_workbook(io.BytesIO(response.data)).active
		self.assertEqual(sheet.title, "培育申报汇总")
		rows = [list(row) for row in sheet.iter_rows(values_only=True)]
		self.assertEqual(
			rows[0],
			SUMMARY_HEADINGS,
		)
		body = {row[0]: row[1:] for row in rows[1:]}
		self.assertEqual(body[CENTRE], [0, 1, 0, 1, 0, 0, 0, 2, 1, 1, 50])
		self.assertEqual(body[DESIGN][:1], [1])
		self.assertEqual(body["合计"][7], 2)
		self.assertNotIn(DEMO, body)  # 遵义市's application is not 贵阳市's reviewer's
		record = frappe.get_all(
			"GZ Audit Log",
			filters={"user": self.guiyang, "action": trail.EXPORT},
			fields=["description", "ip_address", "reference_name"],
		)
		self.assertEqual(len(record), 1)
		self.assertEqual(record[0].ip_address, "10.20.30.40")
		self.assertEqual(record[0].reference_name, "Cultivation Submission Summary")
		self.assertIn("培育申报汇总", record[0].description)
