"""What a reviewer meets in Desk, on the server's side: each submission carries the deadline of the stage
it is in (the enterprise's draft: the batch's closing time), a batch's new deadline reaches its
submissions; 退回修改 from its own dialog records the reason in one save, and nothing else returns
an application; Frappe's own workspaces are offered to System Managers only; Desk's boot carries the
workspace's widgets; the platform's logo and name replace Frappe's."""

import json
from datetime import timedelta

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import get_datetime, now_datetime

from gz_innovation.accounts.tests.test_login import Browser, message_of
from gz_innovation.accounts.tests.utils import delete_users, use_capture_provider
from gz_innovation.cultivation import department, review
from gz_innovation.cultivation.tests.department import (
	GOOD,
	GUIYANG,
	delete_batches,
	enterprise_in,
	new_batch,
	step,
	submitted,
)
from gz_innovation.cultivation.tests.test_department_workspace import as_user
from gz_innovation.enterprise.tests.utils import create_regulator, delete_enterprises
from gz_innovation.setup import brand
from gz_innovation.utils import ServerFieldError

ACT = "/api/method/gz_innovation.cultivation.review.act_with_reason"


def stored(name: str, *fields):
	frappe.db.commit()  # nosemgrep: see what the HTTP requests committed
	return frappe.db.get_value("Cultivation Submission", name, list(fields), as_dict=True)


def browser_of(user: str) -> Browser:
	browser = Browser()
	response = browser.login(frappe.db.get_value("User", user, "username"))
	assert response.status_code == 200, response.get_data(as_text=True)
	return browser


def returning(name: str, reason: str) -> dict:
	return {"doctype": "Cultivation Submission", "name": name, "action": "退回修改", "reason": reason}


def same_minute(a, b) -> bool:
	return abs((get_datetime(a) - get_datetime(b)).total_seconds()) < 1


class TestReviewerDesk(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.local.lang = "zh"
		use_capture_provider()
		now = now_datetime().replace(microsecond=0)
		cls.city_deadline = now + timedelta(days=3)
		cls.province_deadline = now + timedelta(days=9)
		cls.batch = new_batch(
			deadlines={
				"city_review_deadline": cls.city_deadline,
				"province_review_deadline": cls.province_deadline,
			}
		)
		(cls.enterprise, cls.admin) = enterprise_in(GUIYANG)
		cls.reviewer = create_regulator(city=GUIYANG)
		cls.province = create_regulator()
		cls.addClassCleanup(delete_users, [cls.admin, cls.reviewer, cls.province])
		cls.addClassCleanup(delete_enterprises, [cls.enterprise])
		cls.addClassCleanup(delete_batches, [cls.batch])

	def setUp(self):
		frappe.set_user("Administrator")
		frappe.local.lang = "zh"

	def new_admin(self) -> str:
		"""The admin of a new 贵阳市 enterprise: one application per type and batch each."""
		enterprise, admin = enterprise_in(GUIYANG)
		self.addCleanup(delete_users, [admin])
		self.addCleanup(delete_enterprises, [enterprise])
		return admin

	# --- The stage deadline ------------------------------------------------------------------------

	def test_each_stage_carries_its_own_deadline(self):
		closes_at = frappe.db.get_value("Cultivation Batch", self.batch, "closes_at")
		name = submitted(admin := self.new_admin(), self.batch, "企业技术中心", GOOD, submit=False)
		self.assertTrue(same_minute(stored(name, "stage_deadline").stage_deadline, closes_at))
		frappe.set_user(admin)
		from gz_innovation.cultivation import submission

		submission.submit(name)
		frappe.set_user("Administrator")
		self.assertTrue(same_minute(stored(name, "stage_deadline").stage_deadline, self.city_deadline))
		step(name, "受理", self.reviewer)
		self.assertTrue(same_minute(stored(name, "stage_deadline").stage_deadline, self.city_deadline))
		step(name, "初审通过", self.reviewer)
		self.assertTrue(same_minute(stored(name, "stage_deadline").stage_deadline, self.province_deadline))
		step(name, "审核通过", self.province)
		self.assertIsNone(stored(name, "stage_deadline").stage_deadline)  # 培育中: no stage deadline

	def test_a_batchs_new_deadline_reaches_the_submissions_in_that_stage(self):
		waiting = submitted(self.new_admin(), self.batch, "工业设计中心", GOOD)
		batch = frappe.get_doc("Cultivation Batch", self.batch)
		later = self.city_deadline + timedelta(days=2)
		batch.city_review_deadline = later
		batch.save(ignore_permissions=True)
		self.addCleanup(self.restore_city_deadline)
		self.assertTrue(same_minute(stored(waiting, "stage_deadline").stage_deadline, later))

	def restore_city_deadline(self):
		batch = frappe.get_doc("Cultivation Batch", self.batch)
		batch.city_review_deadline = self.city_deadline
		batch.save(ignore_permissions=True)

	def test_a_client_cannot_set_the_deadline(self):
		name = submitted(self.new_admin(), self.batch, "技术创新示范企业", GOOD)
		frappe.set_user(self.reviewer)
		doc = frappe.get_doc("Cultivation Submission", name)
		doc.stage_deadline = now_datetime() + timedelta(days=300)
		self.assertRaises(ServerFieldError, doc.save)
		frappe.set_user("Administrator")
		self.assertTrue(same_minute(stored(name, "stage_deadline").stage_deadline, self.city_deadline))

	# --- 退回修改 from its dialog ------------------------------------------------------------------

	def fresh_in_city(self) -> str:
		name = submitted(self.new_admin(), self.batch, "企业技术中心", GOOD)
		step(name, "受理", self.reviewer)
		return name

	def test_the_reason_is_recorded_and_the_application_returned_in_one_save(self):
		name = self.fresh_in_city()
		browser = browser_of(self.reviewer)
		response = browser.post(ACT, returning(name, "  请补充场地证明  "))
		self.assertEqual(response.status_code, 200, response.get_data(as_text=True))
		row = stored(name, "status", "review_comment")
		self.assertEqual((row.status, row.review_comment), ("退回修改", "请补充场地证明"))
		versions = frappe.get_all(
			"Version", filters={"ref_doctype": "Cultivation Submission", "docname": name}, pluck="data"
		)
		# One save carried both: the reason and the state change are in the same Version.
		changes = [{c[0]: c[2] for c in json.loads(data).get("changed", [])} for data in versions]
		self.assertIn(
			("请补充场地证明", "退回修改"),
			[(c.get("review_comment"), c.get("status")) for c in changes],
		)

	def test_without_a_reason_nothing_changes(self):
		name = self.fresh_in_city()
		browser = browser_of(self.reviewer)
		for reason in ("", "   "):
			response = browser.post(ACT, returning(name, reason))
			self.assertEqual(response.status_code, 417)
			self.assertIn("审核意见", message_of(response))
		self.assertEqual(stored(name, "status").status, "市州初审")

	def test_a_reason_too_long_for_an_sms_is_refused_and_a_fair_one_reads_as_typed(self):
		name = self.fresh_in_city()
		browser = browser_of(self.reviewer)
		response = browser.post(ACT, returning(name, "长" * 501))
		self.assertEqual(response.status_code, 417)
		self.assertIn("最多500个字符", message_of(response))
		self.assertEqual(stored(name, "status").status, "市州初审")
		# What the reviewer typed is what the enterprise reads in 审核流程, comparison signs included.
		reason = "营业收入<2000万，a<>b & c"
		self.assertEqual(browser.post(ACT, returning(name, reason)).status_code, 200)
		frappe.db.commit()  # nosemgrep: see what the request committed
		self.assertTrue(any(reason in step["comment"] for step in review.history(name)), review.history(name))

	def test_only_a_reviewer_of_that_stage_returns_it_by_post(self):
		name = self.fresh_in_city()
		zunyi = create_regulator(city="遵义市")
		self.addCleanup(delete_users, [zunyi])
		for user in (self.admin, zunyi):
			browser = browser_of(user)
			response = browser.post(ACT, returning(name, "改一下"))
			self.assertIn(response.status_code, (403, 417), response.get_data(as_text=True))
		self.assertEqual(stored(name, "status", "review_comment").status, "市州初审")
		# By GET, even the reviewer changes nothing.
		browser = browser_of(self.reviewer)
		response = browser.get(f"{ACT}?doctype=Cultivation%20Submission&name={name}&action=退回修改&reason=x")
		self.assertNotEqual(response.status_code, 200)
		self.assertEqual(stored(name, "status").status, "市州初审")

	def test_a_stage_without_the_action_refuses_it(self):
		name = submitted(self.new_admin(), self.batch, "企业技术中心", GOOD, submit=False)  # a draft
		frappe.set_user(self.reviewer)
		try:
			self.assertRaises(
				frappe.ValidationError,
				review.act_with_reason,
				"Cultivation Submission",
				name,
				"退回修改",
				"改一下",
			)
		except frappe.PermissionError:
			pass  # a reviewer may not even open a draft
		finally:
			frappe.set_user("Administrator")
		self.assertEqual(stored(name, "status").status, "草稿")

	def test_an_action_without_a_reason_is_not_taken_this_way(self):
		name = self.fresh_in_city()
		browser = browser_of(self.reviewer)
		for args in (
			{"doctype": "Cultivation Submission", "name": name, "action": "初审通过", "reason": "x"},
			{"doctype": "User", "name": self.reviewer, "action": "退回修改", "reason": "x"},
		):
			response = browser.post(ACT, args)
			self.assertEqual(response.status_code, 417, response.get_data(as_text=True))
		self.assertEqual(stored(name, "status").status, "市州初审")

	# --- Desk around the reviewer -----------------------------------------------------------------

	def test_frappes_own_workspaces_are_for_system_managers(self):
		from frappe.desk.desktop import get_workspace_sidebar_items

		frappe.set_user(self.reviewer)
		try:
			offered = [page["name"] for page in get_workspace_sidebar_items()["pages"]]
		finally:
			frappe.set_user("Administrator")
		self.assertEqual(offered, [department.WORKSPACE])
		offered = [page["name"] for page in get_workspace_sidebar_items()["pages"]]
		for name in ("Users", "Website", "Tools", "Build", department.WORKSPACE):
			self.assertIn(name, offered)

	def test_an_administrators_roles_on_a_workspace_are_kept(self):
		workspace = frappe.get_doc("Workspace", "Tools")
		saved = [row.role for row in workspace.roles]
		frappe.db.delete("Has Role", {"parenttype": "Workspace", "parent": "Tools"})
		frappe.get_doc("Workspace", "Tools").append("roles", {"role": "GZ Regulator"}).db_insert()
		self.addCleanup(self.restore_roles, "Tools", saved)
		department.offer_frappe_workspaces_to_system_managers()
		self.assertEqual(
			frappe.get_all("Has Role", {"parenttype": "Workspace", "parent": "Tools"}, pluck="role"),
			["GZ Regulator"],
		)

	def restore_roles(self, workspace, roles):
		frappe.db.delete("Has Role", {"parenttype": "Workspace", "parent": workspace})
		doc = frappe.get_doc("Workspace", workspace)
		for role in roles:
			doc.append("roles", {"role": role}).db_insert()
		frappe.clear_document_cache("Workspace", workspace)

	def test_desks_boot_carries_the_workspaces_widgets(self):
		def boot_of(user: str) -> dict:
			bootinfo = frappe._dict()
			as_user(user, department.boot_widgets, bootinfo)
			return bootinfo

		workspace = frappe.get_doc("Workspace", department.WORKSPACE)
		carried = {doc["name"] for doc in boot_of(self.reviewer).gz_workspace_widgets["docs"]}
		self.assertTrue(carried)
		self.assertTrue(
			carried
			<= {row.number_card_name for row in workspace.number_cards}
			| {row.chart_name for row in workspace.charts}
		)
		self.assertNotIn("gz_workspace_widgets", boot_of("Guest"))
		self.assertNotIn("gz_workspace_widgets", boot_of(self.admin))  # an enterprise admin

	def test_the_platforms_logo_and_name_replace_frappes_and_an_administrators_stay(self):
		self.assertEqual(frappe.db.get_single_value("Navbar Settings", "app_logo"), brand.LOGO)
		self.assertEqual(
			frappe.db.get_single_value("Website Settings", "app_name"),
			"贵州省工业和信息化领域科技创新服务平台",
		)
		name = frappe.db.get_single_value("Website Settings", "app_name")
		self.addCleanup(frappe.db.set_single_value, "Website Settings", "app_name", name)
		self.addCleanup(frappe.db.set_single_value, "Navbar Settings", "app_logo", brand.LOGO)
		frappe.db.set_single_value("Navbar Settings", "app_logo", "/files/our-logo.png")
		frappe.db.set_single_value("Website Settings", "app_name", "黔科平台")
		brand.apply_brand("zh")
		self.assertEqual(frappe.db.get_single_value("Navbar Settings", "app_logo"), "/files/our-logo.png")
		self.assertEqual(frappe.db.get_single_value("Website Settings", "app_name"), "黔科平台")
		frappe.db.set_single_value("Website Settings", "app_name", "Frappe")
		frappe.db.set_single_value("Navbar Settings", "app_logo", "")
		brand.apply_brand("zh")
		self.assertEqual(
			frappe.db.get_single_value("Website Settings", "app_name"),
			"贵州省工业和信息化领域科技创新服务平台",
		)
		self.assertEqual(frappe.db.get_single_value("Navbar Settings", "app_logo"), brand.LOGO)
