"""Drafts that never lose work, on the server's side: every save carries the version the form holds,
a save from an older copy (another tab, another device) is refused with a Chinese message and the
later save is kept; an autosave that arrives after (or races) the submit never changes what was
submitted; the same for the certification steps. Real HTTP, as the portal's pages send it."""

import frappe
from frappe.tests.utils import FrappeTestCase

from gz_innovation.accounts.tests.utils import create_user, delete_users
from gz_innovation.cultivation.tests.utils import delete_batches, manual_example_values
from gz_innovation.enterprise.tests.utils import create_certified_enterprise, delete_enterprises, new_uscc
from gz_innovation.portal.tests.utils import close_batch, portal_batch
from gz_innovation.tests.security.client import CJK, Response, Visitor
from gz_innovation.tests.security.test_account_attacks import at_once

API = "gz_innovation.cultivation.api."
TYPE = "企业技术中心"


class TestSubmissionDrafts(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		frappe.local.lang = "zh"
		self.admin = create_user()
		self.enterprise = create_certified_enterprise(self.admin)
		self.batch = portal_batch()
		frappe.db.commit()  # nosemgrep
		self.addCleanup(self.clean)
		self.tab = Visitor(ip="10.60.0.1").login(self.admin)

	def clean(self):
		frappe.set_user("Administrator")
		delete_batches([self.batch])
		delete_enterprises([self.enterprise])
		delete_users([self.admin])
		frappe.db.commit()  # nosemgrep

	def open(self) -> dict:
		response = self.tab.method(API + "open_submission", cultivation_type=TYPE, batch=self.batch)
		self.assertEqual(response.status, 200, response)
		return response.json["message"]

	def stored(self, name: str, *fields) -> dict:
		return frappe.db.get_value("Cultivation Submission", name, list(fields), as_dict=True)

	def test_the_later_save_is_kept_and_the_earlier_tab_told(self):
		form = self.open()  # both tabs load this version
		first = self.tab.method(
			API + "save_submission",
			name=form["name"],
			values={"invention_patents": 7},
			modified=form["modified"],
		)
		self.assertEqual(first.status, 200, first)
		self.assertNotEqual(first.json["message"]["modified"], form["modified"])
		stale = self.tab.method(
			API + "save_submission",
			name=form["name"],
			values={"invention_patents": 1},
			modified=form["modified"],
		)
		self.assertEqual(stale.status, 417, stale)
		self.assertEqual(stale.json.get("exc_type"), "TimestampMismatchError")
		self.assertRegex(stale.message, "其他窗口或设备上保存")
		self.assertRegex(stale.message, CJK)
		self.assertFalse(stale.has_traceback)
		self.assertEqual(self.stored(form["name"], "invention_patents").invention_patents, 7)
		# The tab that holds the newer version goes on saving.
		newer = self.tab.method(
			API + "save_submission",
			name=form["name"],
			values={"invention_patents": 8},
			modified=first.json["message"]["modified"],
		)
		self.assertEqual(newer.status, 200, newer)
		self.assertEqual(self.stored(form["name"], "invention_patents").invention_patents, 8)

	def test_an_autosave_after_the_submit_never_changes_what_was_submitted(self):
		form = self.open()
		values = {**manual_example_values(), "commitment": 1}
		saved = self.tab.method(
			API + "save_submission", name=form["name"], values=values, modified=form["modified"]
		).json["message"]
		submitted = self.tab.method(
			API + "submit_submission", name=form["name"], values=values, modified=saved["modified"]
		)
		self.assertEqual(submitted.status, 200, submitted)
		before = self.stored(form["name"], "status", "invention_patents", "overall_result", "modified")
		# The autosave of a change typed just before the click, arriving after the submit.
		late = self.tab.method(
			API + "save_submission",
			name=form["name"],
			values={"invention_patents": 99},
			modified=saved["modified"],
		)
		self.assertEqual(late.status, 417, late)
		self.assertEqual(late.json.get("exc_type"), "TimestampMismatchError")
		# Even a save that claims the current version (or none) is refused: it is no longer a draft.
		for modified in (str(before.modified), None):
			again = self.tab.method(
				API + "save_submission",
				name=form["name"],
				values={"invention_patents": 99},
				modified=modified,
			)
			self.assertEqual(again.status, 417, again)
			self.assertRegex(again.message, "已提交.*不能修改")
		self.assertEqual(
			self.stored(form["name"], "status", "invention_patents", "overall_result", "modified"), before
		)

	def test_an_autosave_racing_the_submit(self):
		form = self.open()
		for attempt in range(3):
			if attempt:
				form = self.reset(form)
			values = {**manual_example_values(), "commitment": 1}
			path = "/api/method/" + API
			results = [
				Response(raw)
				for raw in at_once(
					[
						(
							self.tab,
							path + "submit_submission",
							{"name": form["name"], "values": values, "modified": form["modified"]},
						),
						(
							self.tab,
							path + "save_submission",
							{
								"name": form["name"],
								"values": {"invention_patents": 99},
								"modified": form["modified"],
							},
						),
					]
				)
			]
			submit, save = results
			# Both carry the version the page holds: exactly one of them gets through.
			self.assertEqual(sorted([submit.status, save.status]), [200, 417], results)
			row = self.stored(form["name"], "status", "invention_patents")
			if submit.status == 200:
				self.assertEqual((row.status, row.invention_patents), ("已提交", values["invention_patents"]))
			else:
				self.assertEqual((row.status, row.invention_patents), ("草稿", 99))
				self.assertEqual(submit.json.get("exc_type"), "TimestampMismatchError")

	def reset(self, form) -> dict:
		frappe.delete_doc("Cultivation Submission", form["name"], force=True, ignore_permissions=True)
		frappe.db.commit()  # nosemgrep
		return self.open()

	def test_a_draft_of_a_closed_batch_is_read_only(self):
		form = self.open()
		self.assertFalse(form["read_only"])
		self.assertEqual(form["progress"]["holder"], "enterprise")
		close_batch(self.batch)
		frappe.db.commit()  # nosemgrep
		detail = self.tab.method(API + "get_submission", name=form["name"]).json["message"]
		self.assertTrue(detail["read_only"])
		self.assertTrue(detail["progress"]["closed"])
		self.assertIn("截止", detail["progress"]["todo"])
		refused = self.tab.method(
			API + "save_submission",
			name=form["name"],
			values={"invention_patents": 5},
			modified=detail["modified"],
		)
		self.assertEqual(refused.status, 417, refused)
		self.assertRegex(refused.message, "截止")


class TestCertificationDrafts(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		frappe.local.lang = "zh"
		self.user = create_user()
		frappe.db.commit()  # nosemgrep
		self.tab = Visitor(ip="10.60.0.2").login(self.user)
		self.addCleanup(self.clean)

	def clean(self):
		frappe.set_user("Administrator")
		for name in frappe.get_all("Enterprise", filters={"applicant": self.user}, pluck="name"):
			frappe.delete_doc("Enterprise", name, force=True, ignore_permissions=True)
		delete_users([self.user])
		frappe.db.commit()  # nosemgrep

	def test_a_step_saved_from_an_older_copy_is_refused(self):
		started = self.tab.method(
			"gz_innovation.enterprise.api.start_certification",
			enterprise_name="贵州自动保存科技有限公司",
			uscc=new_uscc(),
		)
		self.assertEqual(started.status, 200, started)
		app = started.json["message"]["application"]
		save = "gz_innovation.enterprise.api.save_certification_step"
		first = self.tab.method(
			save, name=app["name"], step=2, values={"address": "新地址"}, go_to=2, modified=app["modified"]
		)
		self.assertEqual(first.status, 200, first)
		stale = self.tab.method(
			save,
			name=app["name"],
			step=2,
			values={"address": "旧页面的地址"},
			go_to=2,
			modified=app["modified"],
		)
		self.assertEqual(stale.status, 417, stale)
		self.assertEqual(stale.json.get("exc_type"), "TimestampMismatchError")
		self.assertRegex(stale.message, "其他窗口或设备上保存")
		self.assertEqual(frappe.db.get_value("Enterprise", app["name"], "address"), "新地址")
		submit = self.tab.method(
			"gz_innovation.enterprise.api.submit_certification", name=app["name"], modified=app["modified"]
		)
		self.assertEqual(submit.status, 417, submit)
		self.assertEqual(frappe.db.get_value("Enterprise", app["name"], "certification_status"), "草稿")
