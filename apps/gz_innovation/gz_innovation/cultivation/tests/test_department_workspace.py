"""The workspace 科技创新平台培育: reviewers and administrators land on it; its queue counts, number cards
and charts cover the open batch and, for a 市州 reviewer, their city only; the reviewers' lists."""

import json

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import getdate, now_datetime

from gz_innovation.accounts.tests.utils import create_user, delete_users, use_capture_provider
from gz_innovation.cultivation import dashboard
from gz_innovation.cultivation.department import WORKSPACE
from gz_innovation.cultivation.tests.department import (
	GOOD,
	GUIYANG,
	SMALL,
	ZUNYI,
	delete_batches,
	enterprise_in,
	new_batch,
	step,
	submitted,
)
from gz_innovation.enterprise.tests.utils import create_regulator, delete_enterprises

QUEUES = {
	"Awaiting Acceptance": ("Cultivation Submission", "status", "已提交"),
	"In City Review": ("Cultivation Submission", "status", "市州初审"),
	"In Province Review": ("Cultivation Submission", "status", "省厅审核"),
	"Being Revised": ("Cultivation Submission", "status", "退回修改"),
	"Certifications to Review": ("Enterprise", "certification_status", "审核中"),
	"Admin Changes to Review": ("Enterprise Admin Transfer", "status", "审核中"),
}


def desk_count(user, doctype, filters) -> int:
	"""The count a shortcut shows: Desk asks frappe.desk.reportview.get_count, in the user's scope."""
	from frappe.desk import reportview

	frappe.set_user(user)  # (resets the form)
	try:
		frappe.local.form_dict = frappe._dict(doctype=doctype, filters=json.dumps(filters), fields="[]")
		return reportview.get_count()
	finally:
		frappe.set_user("Administrator")


def as_user(user, function, *args, **kwargs):
	frappe.set_user(user)
	try:
		return function(*args, **kwargs)
	finally:
		frappe.set_user("Administrator")


class TestDepartmentWorkspace(FrappeTestCase):
	"""The open batch: s1 (贵阳, meets all) waits for 受理, s2 (遵义, fails) is in 市州初审, s3 (贵阳,
	meets all) was returned, d4 (贵阳) is a draft."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.local.lang = "zh"
		use_capture_provider()
		cls.batch = new_batch()
		(cls.e1, cls.a1), (cls.e2, cls.a2) = enterprise_in(GUIYANG), enterprise_in(ZUNYI)
		cls.guiyang, cls.zunyi = create_regulator(city=GUIYANG), create_regulator(city=ZUNYI)
		cls.province = create_regulator()
		cls.s1 = submitted(cls.a1, cls.batch, "企业技术中心", GOOD)
		cls.s2 = submitted(cls.a2, cls.batch, "企业技术中心", SMALL)
		step(cls.s2, "受理", cls.zunyi)
		cls.s3 = submitted(cls.a1, cls.batch, "技术创新示范企业", GOOD)
		step(cls.s3, "受理", cls.guiyang)
		step(cls.s3, "退回修改", cls.guiyang, comment="请补充材料")
		cls.d4 = submitted(cls.a1, cls.batch, "工业设计中心", GOOD, submit=False)
		cls.addClassCleanup(delete_users, [cls.a1, cls.a2, cls.guiyang, cls.zunyi, cls.province])
		cls.addClassCleanup(delete_enterprises, [cls.e1, cls.e2])
		cls.addClassCleanup(delete_batches, [cls.batch])

	def setUp(self):
		frappe.local.lang = "zh"
		frappe.set_user("Administrator")

	def cards(self, user):
		return {
			name: as_user(user, getattr(dashboard, name))["value"]
			for name in (
				"submitted_card",
				"under_review_card",
				"returned_card",
				"cultivating_card",
				"satisfied_share_card",
			)
		}

	def test_the_open_batch_is_the_latest_opened(self):
		self.assertEqual(dashboard.current_batch(), self.batch)

	def test_number_cards_of_the_open_batch_in_scope(self):
		self.assertEqual(
			self.cards("Administrator"),
			{
				"submitted_card": 3,
				"under_review_card": 2,
				"returned_card": 1,
				"cultivating_card": 0,
				"satisfied_share_card": 66.7,
			},
		)
		self.assertEqual(
			self.cards(self.guiyang),
			{
				"submitted_card": 2,
				"under_review_card": 1,
				"returned_card": 1,
				"cultivating_card": 0,
				"satisfied_share_card": 100.0,
			},
		)
		self.assertEqual(self.cards(self.zunyi)["satisfied_share_card"], 0.0)
		card = as_user(self.guiyang, dashboard.under_review_card)
		self.assertEqual(card["route"], ["List", "Cultivation Submission", "List"])
		self.assertEqual(card["route_options"]["batch"], self.batch)
		certified = as_user(self.zunyi, dashboard.certified_enterprises_card)["value"]
		self.assertEqual(
			certified, frappe.db.count("Enterprise", {"city": ZUNYI, "certification_status": "已认证"})
		)
		self.assertEqual(
			dashboard.certified_enterprises_card()["value"],
			frappe.db.count("Enterprise", {"certification_status": "已认证"}),
		)

	def test_charts_in_scope(self):
		by_type = as_user(self.guiyang, dashboard.results_by, "cultivation_type")
		self.assertEqual(by_type["labels"], ["企业技术中心", "技术创新示范企业"])
		self.assertEqual([d["values"] for d in by_type["datasets"]], [[1, 1], [0, 0]])
		by_city = dashboard.results_by("city", order=dashboard.city_order())
		self.assertEqual(by_city["labels"], [GUIYANG, ZUNYI])
		self.assertEqual([d["values"] for d in by_city["datasets"]], [[2, 0], [0, 1]])
		per_day = dashboard.per_day()
		self.assertEqual(per_day["labels"][-1], getdate(now_datetime()).strftime("%m-%d"))
		self.assertEqual(sum(per_day["datasets"][0]["values"]), 3)
		self.assertEqual(sum(as_user(self.zunyi, dashboard.per_day)["datasets"][0]["values"]), 1)

	def test_queue_shortcuts_count_in_scope(self):
		workspace = frappe.get_doc("Workspace", WORKSPACE)
		shortcuts = {s.label: s for s in workspace.shortcuts}
		self.assertEqual(sorted(shortcuts), sorted(QUEUES))
		for label, (doctype, field, value) in QUEUES.items():
			with self.subTest(label):
				shortcut = shortcuts[label]
				self.assertEqual(shortcut.link_to, doctype)
				self.assertEqual(json.loads(shortcut.stats_filter), [[doctype, field, "=", value, False]])

		def count(user, status):
			return desk_count(
				user, "Cultivation Submission", [["status", "=", status], ["batch", "=", self.batch]]
			)

		self.assertEqual([count(self.guiyang, s) for s in ("已提交", "市州初审", "退回修改")], [1, 0, 1])
		self.assertEqual([count(self.zunyi, s) for s in ("已提交", "市州初审", "退回修改")], [0, 1, 0])
		self.assertEqual([count(self.province, s) for s in ("已提交", "市州初审", "退回修改")], [1, 1, 1])

	def test_admin_changes_to_review_are_scoped_by_city(self):
		from gz_innovation.enterprise.membership import request_admin_transfer
		from gz_innovation.enterprise.tests.utils import create_staff

		staff = create_staff(self.e2)
		self.addCleanup(delete_users, [staff])
		frappe.set_user(self.a2)
		name = request_admin_transfer(self.e2, staff)
		frappe.set_user("Administrator")
		transfer = frappe.get_doc("Enterprise Admin Transfer", name)
		self.addCleanup(frappe.delete_doc, "Enterprise Admin Transfer", name, force=True)
		filters = [["status", "=", "审核中"], ["enterprise", "=", self.e2]]
		self.assertEqual(desk_count(self.zunyi, "Enterprise Admin Transfer", filters), 1)
		self.assertEqual(desk_count(self.guiyang, "Enterprise Admin Transfer", filters), 0)
		self.assertEqual(desk_count(self.province, "Enterprise Admin Transfer", filters), 1)
		self.assertFalse(
			frappe.has_permission("Enterprise Admin Transfer", "read", transfer, user=self.guiyang)
		)
		self.assertTrue(frappe.has_permission("Enterprise Admin Transfer", "read", transfer, user=self.zunyi))

	def test_reviewers_and_administrators_land_on_the_workspace(self):
		self.assertEqual(frappe.db.get_value("User", self.guiyang, "default_workspace"), WORKSPACE)
		self.assertEqual(frappe.db.get_value("User", "Administrator", "default_workspace"), WORKSPACE)
		self.assertIsNone(frappe.db.get_value("User", self.a1, "default_workspace"))  # a portal user
		# a reviewer's own choice is kept
		user = frappe.get_doc("User", self.province)
		user.default_workspace = "Users"
		user.save(ignore_permissions=True)
		self.assertEqual(frappe.db.get_value("User", self.province, "default_workspace"), "Users")
		from frappe.desk.desktop import get_workspace_sidebar_items

		pages = as_user(self.guiyang, get_workspace_sidebar_items)["pages"]
		self.assertEqual(pages[0]["name"], WORKSPACE)

	def test_the_reviewers_list_columns(self):
		meta = frappe.get_meta("Cultivation Submission")
		self.assertEqual(meta.title_field, "enterprise_name")
		self.assertEqual(
			[df.fieldname for df in meta.fields if df.in_list_view],
			[
				"cultivation_type",
				"batch",
				"status",
				"overall_result",
				"city",
				"submitted_at",
				"stage_entered_at",
				"stage_deadline",
			],
		)
		self.assertEqual(
			sorted(df.fieldname for df in meta.fields if df.in_standard_filter),
			sorted(["cultivation_type", "batch", "status", "overall_result", "city", "indicator_category"]),
		)
		self.assertEqual(
			frappe.db.get_value("List View Settings", "Cultivation Submission", "total_fields"), "10"
		)
		enterprise = frappe.get_meta("Enterprise")
		self.assertEqual(
			[df.fieldname for df in enterprise.fields if df.in_list_view],
			["uscc", "certification_submitted_at", "city"],
		)
