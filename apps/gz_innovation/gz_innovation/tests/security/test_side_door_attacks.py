"""Attacks through Frappe's side doors (found by a red-team pass): comments, GET requests that act,
list filters on hidden fields, file records pointed at others' files, follows, likes, assignments,
the User and Workflow Action lists, bulk updates and prints of posted documents. Each asserts the
refusal and that nothing stored changed, over real HTTP."""

import json

import frappe
from frappe.tests.utils import FrappeTestCase

from gz_innovation.cultivation import application
from gz_innovation.tests.pdfs import valid_pdf
from gz_innovation.tests.security.client import Visitor
from gz_innovation.tests.security.world import LEGAL_ID, LEGAL_MOBILE, World

DOCTYPE = "Cultivation Submission"


class TestSideDoorAttacks(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.world = World().build()
		cls.submitted = cls.world.submitted
		cls.addClassCleanup(cls.world.destroy)

	def visitor(self, role: str) -> Visitor:
		return Visitor().login(self.world.users[role])

	def state(self) -> str:
		return frappe.db.get_value(DOCTYPE, self.submitted, "status")

	def test_admin_rewrites_the_submitted_step_of_the_review_history_and_is_refused(self):
		step = frappe.get_all(
			"Comment",
			filters={
				"reference_doctype": DOCTYPE,
				"reference_name": self.submitted,
				"comment_type": "Workflow",
				"owner": self.world.users["admin_a"],
			},
			fields=["name", "content"],
		)[0]
		forged = '已提交<img src="/api/method/frappe.model.workflow.apply_workflow?action=受理">'
		response = self.visitor("admin_a").method(
			"frappe.desk.form.utils.update_comment", name=step.name, content=forged
		)
		self.assertFalse(response.ok, response)
		self.assertFalse(response.has_traceback)
		self.assertEqual(frappe.db.get_value("Comment", step.name, "content"), step.content)

	def test_a_link_in_a_page_moves_no_workflow_for_the_reviewer_who_opens_it(self):
		before = self.state()
		reviewer = self.visitor("city_reviewer_a")
		doc = json.dumps({"doctype": DOCTYPE, "name": self.submitted})
		path = "/api/method/frappe.model.workflow.apply_workflow"
		# A link clicked (a page navigation) and an image loaded: both GET with the reviewer's cookie.
		clicked = reviewer.request("GET", path, query_string={"doc": doc, "action": "受理"})
		self.assertFalse(clicked.ok, clicked)
		self.assertIn("只能读取数据", clicked.message)  # a GET runs read-only: the save was refused
		embedded = reviewer.request(
			"POST",
			path,
			json={"doc": doc, "action": "受理"},
			headers={"Sec-Fetch-Dest": "image", "X-Frappe-CSRF-Token": reviewer.csrf},
		)
		self.assertFalse(embedded.ok, embedded)
		self.assertEqual(self.state(), before)
		# A read embedded in a page still reads (read-only is no outage).
		read = reviewer.request(
			"GET",
			"/api/method/frappe.client.get_list",
			query_string={"doctype": DOCTYPE},
			headers={"Sec-Fetch-Dest": "image"},
		)
		self.assertTrue(read.ok, read)
		# The same action by the reviewer's own POST still works: the door is the request, not the role.
		self.assertTrue(reviewer.method("frappe.model.workflow.apply_workflow", doc=doc, action="受理").ok)
		self.assertNotEqual(self.state(), before)
		frappe.db.set_value(DOCTYPE, self.submitted, "status", before)
		frappe.db.commit()  # nosemgrep

	def test_staff_guess_the_legal_persons_id_number_through_list_filters_and_are_refused(self):
		"""Portal users reach no list at all (the allow-list); a Desk user whose role reads enterprises
		but not their personal data (level 0 only, as an administrator may set up an analyst) is refused
		the filter and the sort order on the hidden fields."""
		from frappe.permissions import add_permission, reset_perms

		analyst_role = "GZ Test Analyst"
		if not frappe.db.exists("Role", analyst_role):
			frappe.get_doc({"doctype": "Role", "role_name": analyst_role, "desk_access": 1}).insert()
		add_permission("Enterprise", analyst_role, 0)
		self.addCleanup(lambda: reset_perms("Enterprise") or frappe.db.commit())
		from gz_innovation.enterprise.tests.utils import create_regulator

		analyst = create_regulator()
		user = frappe.get_doc("User", analyst)
		user.flags.ignore_permissions = True
		user.remove_roles(*[r for r in frappe.get_roles(analyst) if r.startswith("GZ ")])
		user.add_roles(analyst_role)
		self.world.cleanup_users.append(analyst)
		frappe.db.commit()  # nosemgrep
		refused = self.visitor("staff").get("/api/resource/Enterprise")
		self.assertEqual(refused.status, 403, refused)
		self.assertIn("无权使用", refused.message)
		staff = Visitor().login(analyst)
		guesses = {
			"REST filter": lambda: staff.get(
				"/api/resource/Enterprise",
				filters=json.dumps([["Enterprise", "legal_person_id_number", "like", LEGAL_ID[:4] + "%"]]),
			),
			"get_list filter": lambda: staff.method(
				"frappe.client.get_list",
				doctype="Enterprise",
				filters={"legal_person_mobile": ["like", LEGAL_MOBILE[:3] + "%"]},
			),
			"report view sort": lambda: staff.method(
				"frappe.desk.reportview.get",
				doctype="Enterprise",
				fields=["name"],
				order_by="legal_person_id_number asc",
			),
			"or filter": lambda: staff.method(
				"frappe.client.get_list",
				doctype="Enterprise",
				or_filters=[["legal_person_id_number", "like", "1%"]],
			),
		}
		for door, guess in guesses.items():
			with self.subTest(door=door):
				response = guess()
				self.assertEqual(response.status, 403, response)
				self.assertIn("无权按", response.message)
		# Those who read the field filter by it as before.
		reviewer = self.visitor("province_reviewer")
		rows = reviewer.method(
			"frappe.client.get_list",
			doctype="Enterprise",
			# the world's enterprise among the site's others that share the test ID number
			filters={"legal_person_id_number": LEGAL_ID, "name": self.world.a},
		).json["message"]
		self.assertEqual([r["name"] for r in rows], [self.world.a])

	def test_a_reviewer_points_a_file_record_at_another_citys_licence_and_is_refused(self):
		reviewer = self.visitor("city_reviewer_other")
		licence = self.world.licence
		name = licence.rsplit("/", 1)[1]
		files_before = frappe.db.count("File")
		for spelling in (
			f"/private/files/./{name}",
			f"/private/files//{name}",
			f"/private/files/x/../{name}",
			f"/private/files/%{ord(name[0]):02X}{name[1:]}",
		):
			with self.subTest(spelling=spelling):
				response = reviewer.method(
					"frappe.client.insert",
					doc={"doctype": "File", "file_url": spelling, "is_private": 1},
				)
				self.assertFalse(response.ok, response)
				self.assertFalse(response.has_traceback)
		self.assertEqual(frappe.db.count("File"), files_before)
		self.assertEqual(reviewer.get(licence).status, 403)
		# Their own upload cannot be repointed at it either (nor, then, delete it from disk).
		own = reviewer.upload(is_private=1, content=valid_pdf("own"), filename="own.pdf").json["message"]
		self.addCleanup(frappe.delete_doc, "File", own["name"], force=True, ignore_permissions=True)
		response = reviewer.method(
			"frappe.client.set_value", doctype="File", name=own["name"], fieldname="file_url", value=licence
		)
		self.assertFalse(response.ok, response)
		self.assertEqual(frappe.db.get_value("File", own["name"], "file_url"), own["file_url"])
		self.assertEqual(reviewer.get(licence).status, 403)

	def test_another_citys_reviewer_follows_a_submission_to_get_its_changes_and_is_refused(self):
		reviewer = self.world.users["city_reviewer_other"]
		frappe.db.set_value("User", reviewer, "document_follow_notify", 1)
		frappe.db.commit()  # nosemgrep
		response = self.visitor("city_reviewer_other").method(
			"frappe.desk.form.document_follow.follow_document",
			doctype=DOCTYPE,
			doc_name=self.submitted,
			user=reviewer,
		)
		self.assertFalse(response.ok, response)
		# Desk's own Follow button, REST and frappe.client reach the Document Follow without that method.
		visitor = self.visitor("city_reviewer_other")
		attempts = {
			"update_follow": visitor.method(
				"frappe.desk.form.document_follow.update_follow",
				doctype=DOCTYPE,
				doc_name=self.submitted,
				following=1,
			),
			"REST": visitor.post(
				"/api/resource/Document Follow",
				{"ref_doctype": DOCTYPE, "ref_docname": self.submitted, "user": reviewer},
			),
			"frappe.client.insert": visitor.method(
				"frappe.client.insert",
				doc={
					"doctype": "Document Follow",
					"ref_doctype": DOCTYPE,
					"ref_docname": self.submitted,
					"user": reviewer,
				},
			),
		}
		for door, attempt in attempts.items():
			self.assertFalse(attempt.ok, f"{door}: {attempt}")
		self.assertFalse(
			frappe.db.exists("Document Follow", {"ref_docname": self.submitted, "user": reviewer})
		)
		# The reviewer of the submission's own city follows it as before.
		own = self.world.users["city_reviewer_a"]
		frappe.db.set_value("User", own, "document_follow_notify", 1)
		frappe.db.commit()  # nosemgrep
		followed = self.visitor("city_reviewer_a").method(
			"frappe.desk.form.document_follow.update_follow",
			doctype=DOCTYPE,
			doc_name=self.submitted,
			following=1,
		)
		self.assertTrue(followed.ok, followed)
		self.assertTrue(frappe.db.exists("Document Follow", {"ref_docname": self.submitted, "user": own}))

	def test_admin_of_b_likes_and_assigns_itself_to_as_submission_and_is_refused(self):
		admin_b = self.visitor("admin_b")
		like = admin_b.method("frappe.desk.like.toggle_like", doctype=DOCTYPE, name=self.submitted, add="Yes")
		self.assertFalse(like.ok, like)
		todo = admin_b.method(
			"frappe.client.insert",
			doc={
				"doctype": "ToDo",
				"description": "x",
				"reference_type": DOCTYPE,
				"reference_name": self.submitted,
				"allocated_to": self.world.users["admin_b"],
			},
		)
		self.assertFalse(todo.ok, todo)
		liked_by, assigned = frappe.db.get_value(DOCTYPE, self.submitted, ["_liked_by", "_assign"])
		self.assertNotIn(self.world.users["admin_b"], liked_by or "")
		self.assertNotIn(self.world.users["admin_b"], assigned or "")
		self.assertFalse(frappe.db.exists("ToDo", {"reference_name": self.submitted}))

	def test_another_citys_reviewer_lists_users_and_workflow_actions_only_in_scope(self):
		def listed(role, doctype, field="name"):
			response = self.visitor(role).method(
				"frappe.client.get_list", doctype=doctype, fields=[field], limit_page_length=0
			)
			return {row[field] for row in response.json.get("message") or []}

		admin_a = self.world.users["admin_a"]
		other = listed("city_reviewer_other", "User")
		self.assertNotIn(admin_a, other)
		self.assertIn(self.world.users["admin_b"], other)  # a member of an enterprise of their city
		self.assertIn(admin_a, listed("city_reviewer_a", "User"))
		self.assertNotIn(self.submitted, listed("city_reviewer_other", "Workflow Action", "reference_name"))

	def test_staff_bulk_update_their_enterprise_and_read_no_traceback(self):
		before = frappe.db.get_value("Enterprise", self.world.a, "registered_capital")
		response = self.visitor("staff").method(
			"frappe.client.bulk_update",
			docs=[{"doctype": "Enterprise", "docname": self.world.a, "registered_capital": 1}],
		)
		self.assertFalse(response.has_traceback, response.text[:500])
		self.assertNotIn("Traceback", json.dumps(response.json, ensure_ascii=False))
		self.assertEqual(frappe.db.get_value("Enterprise", self.world.a, "registered_capital"), before)

	def test_admin_of_b_prints_a_posted_copy_of_as_submission_and_reads_no_review_history(self):
		posted = {"doctype": DOCTYPE, "name": self.submitted, "enterprise": self.world.b, "city": "遵义市"}
		response = self.visitor("admin_b").method(
			"frappe.www.printview.get_html_and_style", doc=json.dumps(posted), print_format="申报书"
		)
		self.assertFalse(response.has_traceback)
		frappe.set_user(self.world.users["admin_b"])
		try:
			context = application.print_context(frappe.get_doc(posted))
		finally:
			frappe.set_user("Administrator")
		self.assertEqual(context["history"], [])
		self.assertFalse(context["code"])
		# The enterprise's own admin prints its stored submission with its history.
		frappe.set_user(self.world.users["admin_a"])
		try:
			own = application.print_context(frappe.get_doc(DOCTYPE, self.submitted))
		finally:
			frappe.set_user("Administrator")
		self.assertTrue(own["history"])
