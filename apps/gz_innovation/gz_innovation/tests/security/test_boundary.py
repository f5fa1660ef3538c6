"""The boundary around Frappe (boundary/), attacked as the boundary issue's attacker did: over real HTTP,
against the test site's own web server. Each test is named after one attack and asserts the refusal
(its status, a Chinese message, no traceback) and the database exactly as before: the record, its
rows, its timeline (comments, assignments, tags, follows, shares, versions) and the audit trail.

The generated matrix `TestNoWriteWithoutPostAndToken` sends every write method the security matrix
knows by every spelling of the route (`/api/method`, `/api/v2/method`, `?cmd=` on a page or on
another method, GET embedded as an image, a link from another site, POST without or with a wrong
CSRF token) in a reviewer's session and in a portal session; and shows, by the same methods sent
properly, that the refusals are the boundary at work and not a broken request."""

import json
import secrets
import socket
import subprocess
import tempfile
import threading
import unicodedata

import frappe
from frappe.tests.utils import FrappeTestCase

from gz_innovation.tests.security.http import HttpBrowser, server_is_up
from gz_innovation.tests.security.world import World, snapshot

SUBMISSION = "Cultivation Submission"
MARKUP_JSON = '{"a":"<img src=x onerror=window.__x=1>"}'
FORGED_EVALUATION = (
	"<style>.gz-evaluation,.gz-overall,.gz-summary{display:none}</style>"
	"<table><tr><td>发明专利</td><td>满足</td></tr></table>"
)

world: World | None = None
browsers: dict[str, HttpBrowser] = {}


def setUpModule():
	global world
	if not server_is_up():
		raise AssertionError(
			"The test site's web server does not answer: these tests go over real HTTP. "
			"Run them with scripts/test.sh (it starts the server), or start `bench --site "
			f"{frappe.local.site} serve --port <http_port>`."
		)
	world = World().build()
	# Following a record does something only for users who chose to follow documents: the attacked
	# reviewer has, so a follow that got through would show.
	frappe.db.set_value("User", world.users["city_reviewer_a"], "document_follow_notify", 1)
	frappe.db.commit()  # nosemgrep
	for role in (
		"city_reviewer_a",
		"province_reviewer",
		"admin_a",
		"admin_b",
		"personal_user",
		"system_manager",
	):
		browsers[role] = HttpBrowser().login(world.users[role])


def tearDownModule():
	if world:
		world.destroy()


def timeline_of(doctype: str, name: str) -> dict:
	"""Everything Frappe keeps beside a record, and the audit trail about it."""
	return {
		"comments": frappe.get_all(
			"Comment",
			filters={"reference_doctype": doctype, "reference_name": name},
			fields=["comment_type", "content", "comment_email"],
			order_by="creation",
		),
		"todos": frappe.db.count("ToDo", {"reference_type": doctype, "reference_name": name}),
		"tags": frappe.db.count("Tag Link", {"document_type": doctype, "document_name": name}),
		"follows": frappe.db.count("Document Follow", {"ref_doctype": doctype, "ref_docname": name}),
		"shares": frappe.db.count("DocShare", {"share_doctype": doctype, "share_name": name}),
		"versions": frappe.db.count("Version", {"ref_doctype": doctype, "docname": name}),
		"audit": frappe.db.count("GZ Audit Log", {"reference_doctype": doctype, "reference_name": name}),
		"workflow_actions": frappe.db.count(
			"Workflow Action", {"reference_doctype": doctype, "reference_name": name}
		),
	}


def state_of(doctype: str, name: str) -> dict:
	return {"record": snapshot(doctype, name), "timeline": timeline_of(doctype, name)}


class BoundaryCase(FrappeTestCase):
	def assertRefused(self, reply, statuses=(400, 403, 417), traceback_allowed=False):
		self.assertIn(reply.status, statuses, reply)
		if not traceback_allowed:  # a System Manager sees tracebacks (boundary/requests.py)
			self.assertFalse(reply.has_traceback, reply)
		if reply.message:
			self.assertRegex(reply.message, r"[\u4e00-\u9fff]", f"not Chinese: {reply}")

	def assertUnchanged(self, before: dict, doctype: str, name: str):
		self.assertEqual(state_of(doctype, name), before)


class TestDeclaredTextIsInert(BoundaryCase):
	"""Markup typed by an enterprise never runs: it is refused on save, by every path."""

	def test_json_shaped_markup_saved_by_the_portals_save_is_refused(self):
		frappe.set_user(world.users["admin_b"])
		from gz_innovation.cultivation import submission

		draft = submission.open_draft("企业技术中心", world.batch).name
		frappe.set_user("Administrator")
		before = state_of(SUBMISSION, draft)
		reply = browsers["admin_b"].post(
			"/api/method/gz_innovation.cultivation.api.save_submission",
			{"name": draft, "values": {"introduction": MARKUP_JSON}},
		)
		self.assertRefused(reply, (417,))
		self.assertIn("单位简介", reply.message)  # the field's label on the form
		self.assertIn("网页标记", reply.message)
		self.assertEqual(reply.json.get("gz_field"), "introduction")
		self.assertUnchanged(before, SUBMISSION, draft)

	def test_json_shaped_markup_in_certification_step_2_is_refused(self):
		from gz_innovation.enterprise.tests.utils import new_uscc

		applicant = browsers["personal_user"]
		started = applicant.post(
			"/api/method/gz_innovation.enterprise.api.start_certification",
			{"enterprise_name": "标记测试企业" + secrets.token_hex(3), "uscc": new_uscc()},
		)
		self.assertEqual(started.status, 200, started)
		name = started.json["message"]["application"]["name"]
		world.cleanup_enterprises.append(name)
		before = snapshot("Enterprise", name)
		reply = applicant.post(
			"/api/method/gz_innovation.enterprise.api.save_certification_step",
			{"name": name, "step": 2, "values": {"introduction": MARKUP_JSON}},
		)
		self.assertRefused(reply, (417,))
		self.assertIn("简介", reply.message)
		self.assertEqual(snapshot("Enterprise", name), before)

	def test_markup_through_desks_rest_is_refused_even_for_a_system_manager(self):
		before = state_of("Enterprise", world.a)
		for field in ("introduction", "main_products", "address"):
			with self.subTest(field=field):
				reply = browsers["system_manager"].request(
					"PUT", f"/api/resource/Enterprise/{world.a}", json={field: "<svg onload=alert(1)>"}
				)
				self.assertRefused(reply, (417,), traceback_allowed=True)
				self.assertIn("网页标记", reply.message)
		self.assertUnchanged(before, "Enterprise", world.a)

	def test_a_less_than_sign_that_opens_no_markup_is_kept(self):
		from gz_innovation.boundary.plain_text import has_markup

		self.assertFalse(has_markup("营业收入<2000万，研发投入 < 5%"))
		self.assertTrue(has_markup('{"a":"<img src=x>"}'))
		self.assertTrue(has_markup("< script>"))
		self.assertTrue(has_markup("<!-- x -->"))


class TestTheApplicationPdf(BoundaryCase):
	"""The 申报书 shows what was declared as text and fetches nothing, even for markup that reached the
	database another way (a record written before the rule, a database tool)."""

	def setUp(self):
		self.name = world.submitted
		self.kept = frappe.db.get_value(
			SUBMISSION, self.name, ["main_products", "introduction", "address"], as_dict=True
		)

	def tearDown(self):
		for field, value in self.kept.items():
			frappe.db.set_value(SUBMISSION, self.name, field, value, update_modified=False)
		frappe.db.commit()  # nosemgrep

	def pdf_text(self, browser: HttpBrowser) -> str:
		reply = browser.get("/api/method/gz_innovation.cultivation.application.download", {"name": self.name})
		self.assertEqual(reply.status, 200, reply)
		self.assertTrue(reply.content.startswith(b"%PDF"))
		with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
			f.write(reply.content)
			f.flush()
			text = subprocess.run(
				["pdftotext", "-layout", f.name, "-"], capture_output=True, text=True
			).stdout
		# The PDF's fonts map some characters to their radical forms (⾜ for 足): compare what a reader sees.
		return unicodedata.normalize("NFKC", text)

	def test_a_forged_evaluation_in_main_products_cannot_hide_the_real_one(self):
		frappe.db.set_value(SUBMISSION, self.name, "main_products", FORGED_EVALUATION, update_modified=False)
		text = self.pdf_text(browsers["province_reviewer"])
		self.assertIn("不满足限定性指标", text)  # the real result, shown
		self.assertIn("display:none", text)  # the forged style, as text
		self.assertIn("研发原值", text)  # a real row of the evaluation

	def test_an_address_in_declared_text_is_never_requested(self):
		listener = Listener()
		try:
			frappe.db.set_value(
				SUBMISSION,
				self.name,
				{
					"introduction": f'<img src="http://127.0.0.1:{listener.port}/x"><link rel=stylesheet href="http://127.0.0.1:{listener.port}/y.css">',
					"address": '<img src="/files/no-such-picture.png">',
					"main_products": f"<iframe src='http://127.0.0.1:{listener.port}/z'></iframe>",
				},
				update_modified=False,
			)
			text = self.pdf_text(browsers["city_reviewer_a"])
		finally:
			listener.close()
		self.assertEqual(listener.requests, 0)
		self.assertIn(f"127.0.0.1:{listener.port}/x", text)  # shown as text, not fetched

	def test_desks_print_view_shows_markup_as_text(self):
		frappe.db.set_value(SUBMISSION, self.name, "main_products", FORGED_EVALUATION, update_modified=False)
		reply = browsers["province_reviewer"].get(
			"/printview", {"doctype": SUBMISSION, "name": self.name, "format": "申报书"}
		)
		self.assertEqual(reply.status, 200)
		self.assertNotIn("<style>.gz-evaluation", reply.text)
		self.assertIn("&lt;style&gt;.gz-evaluation", reply.text)


class Listener:
	"""A loopback TCP listener that counts the connections made to it."""

	def __init__(self):
		self.server = socket.socket()
		self.server.bind(("127.0.0.1", 0))
		self.server.listen(16)
		self.server.settimeout(0.2)
		self.port = self.server.getsockname()[1]
		self.requests = 0
		self.running = True
		self.thread = threading.Thread(target=self.serve, daemon=True)
		self.thread.start()

	def serve(self):
		while self.running:
			try:
				connection, _ = self.server.accept()
			except OSError:
				continue
			self.requests += 1
			connection.close()

	def close(self):
		self.running = False
		self.thread.join(timeout=2)
		self.server.close()


class TestSessionsAndTokens(BoundaryCase):
	def test_a_portal_page_prints_the_sessions_csrf_token(self):
		token = browsers["admin_a"].page_token("/account-center")
		self.assertEqual(token, browsers["admin_a"].csrf)
		self.assertNotIn(token, ("", "None"))

	def test_a_portal_post_without_or_with_a_wrong_token_is_refused(self):
		name = world.second
		before = state_of(SUBMISSION, name)
		for token in (False, "wrong-token"):
			with self.subTest(token=token):
				reply = browsers["admin_a"].post(
					"/api/method/gz_innovation.cultivation.api.get_center", {}, token=token
				)
				self.assertRefused(reply, (400,))
		self.assertUnchanged(before, SUBMISSION, name)

	def test_a_session_opened_elsewhere_gets_its_token_at_its_first_request_and_writes_only_with_it(self):
		from frappe.auth import CookieManager, LoginManager
		from frappe.utils import set_request

		set_request(path="/")
		try:
			frappe.local.cookie_manager = CookieManager()
			frappe.local.login_manager = LoginManager()
			frappe.local.login_manager.login_as(world.users["admin_b"])  # e.g. single sign-on
			sid = frappe.session.sid
		finally:
			frappe.local.request = None
			frappe.set_user("Administrator")
		browser = HttpBrowser()
		browser.session.cookies.set("sid", sid)
		first = browser.post("/api/method/gz_innovation.cultivation.api.get_center", {}, token=False)
		self.assertRefused(first, (400,))
		self.assertIn("刷新", first.message)
		browser.csrf = browser.page_token("/account-center")
		self.assertTrue(browser.csrf)
		self.assertEqual(browser.post("/api/method/gz_innovation.cultivation.api.get_center", {}).status, 200)

	def test_logging_out_is_a_post_with_the_token(self):
		browser = HttpBrowser().login(world.users["admin_b"])
		page = browser.get("/account-center").text
		self.assertIn('action="/api/method/web_logout"', page)
		self.assertNotIn('href="/api/method/logout"', page)
		by_link = browser.get("/api/method/logout")  # a link or an image on another page
		self.assertEqual(
			browser.get("/api/method/frappe.auth.get_logged_user").json["message"], world.users["admin_b"]
		)
		self.assertRefused(by_link, (403, 417))
		self.assertEqual(browser.post("/api/method/logout", {}).status, 200)
		self.assertIn(browser.get("/api/method/frappe.auth.get_logged_user").status, (401, 403))


class TestFoundByTheRedTeam(BoundaryCase):
	"""Attacks of the red-team pass over this boundary, each closed."""

	def test_an_authorization_header_frappe_ignores_does_not_lift_read_only(self):
		name = world.submitted
		before = state_of(SUBMISSION, name)
		args = write_calls(name, world.users["city_reviewer_a"], world.users["province_reviewer"])
		for header in ("x", "token", "Basic", "a b c"):
			with self.subTest(header=header):
				reply = browsers["city_reviewer_a"].get(
					"/api/method/frappe.model.workflow.apply_workflow",
					args["frappe.model.workflow.apply_workflow"],
					headers={"Authorization": header},
				)
				self.assertGreaterEqual(reply.status, 400, reply)
		self.assertUnchanged(before, SUBMISSION, name)

	def test_a_body_that_is_not_json_gets_a_chinese_answer(self):
		reply = HttpBrowser().request(
			"POST",
			"/api/method/gz_innovation.accounts.api.login",
			data="{not json",
			headers={"Content-Type": "application/json"},
		)
		self.assertGreaterEqual(reply.status, 400)
		self.assertRegex(reply.message, r"[\u4e00-\u9fff]", reply)
		self.assertFalse(reply.has_traceback)

	def test_another_enterprises_submission_tells_nothing_of_its_state(self):
		before = state_of(SUBMISSION, world.submitted)
		reply = browsers["admin_b"].post(
			"/api/method/gz_innovation.cultivation.api.save_submission",
			{"name": world.submitted, "values": {"revenue": 1}},
		)
		self.assertRefused(reply, (403,))
		self.assertEqual(reply.message, "该申报属于其他企业")
		self.assertUnchanged(before, SUBMISSION, world.submitted)


class TestPortalUsersReachAnAllowList(BoundaryCase):
	def test_rest_and_desk_methods_are_refused_to_a_portal_admin(self):
		admin = browsers["admin_a"]
		before = state_of(SUBMISSION, world.submitted)
		for path, data in (
			(f"/api/resource/{SUBMISSION}", None),
			(f"/api/v2/document/{SUBMISSION}", None),
			("/api/method/frappe.client.get_list", {"doctype": SUBMISSION}),
			("/api/method/frappe.desk.reportview.get", {"doctype": SUBMISSION, "fields": '["name"]'}),
			("/api/method/frappe.desk.form.load.getdoc", {"doctype": SUBMISSION, "name": world.submitted}),
			(f"/api/v2/method/{SUBMISSION}/get_list", None),
		):
			with self.subTest(path=path):
				reply = admin.post(path, data) if data is not None else admin.get(path)
				self.assertRefused(reply, (403,))
				self.assertIn("无权", reply.message)
		self.assertUnchanged(before, SUBMISSION, world.submitted)

	def test_the_portals_own_methods_answer(self):
		reply = browsers["admin_a"].post("/api/method/gz_innovation.cultivation.api.get_center", {})
		self.assertEqual(reply.status, 200, reply)

	def test_staff_without_the_viewer_role_read_no_statuses_through_the_center(self):
		staff = HttpBrowser().login(world.users["staff"])
		reply = staff.post("/api/method/gz_innovation.cultivation.api.get_center", {})
		self.assertEqual(reply.status, 200, reply)
		center = reply.json["message"]
		text = json.dumps(center, ensure_ascii=False)
		for secret in ("满足限定性指标", "已提交", world.submitted):
			self.assertNotIn(secret, text)
		detail = staff.post(
			"/api/method/gz_innovation.cultivation.api.get_submission", {"name": world.submitted}
		)
		self.assertRefused(detail, (403,))


class TestSmallerFindings(BoundaryCase):
	def test_password_reset_answers_alike_for_a_desk_account_an_unknown_address_and_a_portal_account(self):
		frappe.cache.delete_keys("rl:")  # Frappe's per-address limit of resets: other runs' requests
		guest = HttpBrowser()
		replies = [
			guest.post("/api/method/frappe.core.doctype.user.user.reset_password", {"user": user})
			for user in (
				world.users["province_reviewer"],
				f"nobody-{secrets.token_hex(3)}@example.com",
				world.users["admin_a"],
			)
		]
		self.assertEqual({r.status for r in replies}, {200}, replies)
		self.assertEqual(len({r.message for r in replies}), 1, replies)

	def test_a_forged_forwarded_address_counts_for_nothing_without_a_trusted_proxy(self):
		"""A client that reaches the app server directly (127.0.0.2: this machine, not its nginx)."""
		key = frappe.cache.make_key("gz_verify:127.0.0.2")
		frappe.cache.delete(key)
		guest = HttpBrowser(source="127.0.0.2")
		try:
			statuses = [
				guest.get("/verify/" + "A" * 24, headers={"X-Forwarded-For": f"10.99.{i}.1"}).status
				for i in range(40)
			]
		finally:
			frappe.cache.delete(key)
		self.assertEqual(statuses.count(404), 30)  # one address, whatever the header says
		self.assertEqual(statuses[30:], [429] * 10)

	def test_the_audit_trail_records_the_connections_address_not_a_forged_one(self):
		reviewer = HttpBrowser(source="127.0.0.2").login(world.users["province_reviewer"])
		reply = reviewer.get(
			"/api/method/gz_innovation.cultivation.application.download",
			{"name": world.second},
			headers={"X-Forwarded-For": "203.0.113.7"},
		)
		self.assertEqual(reply.status, 200)
		self.assertEqual(self.last_pdf_record(world.second), ("127.0.0.2", world.users["province_reviewer"]))

	def test_behind_nginx_on_this_machine_the_address_nginx_saw_counts(self):
		reviewer = browsers["province_reviewer"]  # from 127.0.0.1: the machine's own nginx
		reply = reviewer.get(
			"/api/method/gz_innovation.cultivation.application.download",
			{"name": world.second},
			headers={"X-Forwarded-For": "10.1.2.3, 203.0.113.8"},
		)
		self.assertEqual(reply.status, 200)
		self.assertEqual(
			self.last_pdf_record(world.second), ("203.0.113.8", world.users["province_reviewer"])
		)

	def last_pdf_record(self, name: str) -> tuple:
		row = frappe.get_all(
			"GZ Audit Log",
			filters={"reference_name": name, "action": "PDF下载"},
			fields=["ip_address", "user"],
			order_by="creation desc",
			limit=1,
		)[0]
		return row.ip_address, row.user

	def test_a_multi_pdf_of_another_enterprises_submission_is_refused_and_not_audited(self):
		submission_b = frappe.get_all(SUBMISSION, filters={"enterprise": world.b}, pluck="name")
		if not submission_b:
			frappe.set_user(world.users["admin_b"])
			from gz_innovation.cultivation import submission

			submission_b = [submission.open_draft("企业技术中心", world.batch).name]
			frappe.set_user("Administrator")
		before = frappe.db.count("GZ Audit Log", {"action": "PDF下载"})
		reply = browsers["city_reviewer_a"].get(
			"/api/method/frappe.utils.print_format.download_multi_pdf",
			{"doctype": SUBMISSION, "name": json.dumps(submission_b), "format": "申报书"},
		)
		self.assertRefused(reply, (403,))
		self.assertEqual(frappe.db.count("GZ Audit Log", {"action": "PDF下载"}), before)

	def test_every_download_path_is_audited_once_it_was_sent(self):
		"""Frappe's multi-document PDF (one record per document; only Administrator holds the print
		permission of submissions, reviewers print the 申报书 by its own button), a private file (the way a
		background export's file is fetched): each writes its audit record, by GET."""

		def records(action, user):
			return frappe.db.count("GZ Audit Log", {"action": action, "user": user})

		administrator = HttpBrowser().login("Administrator", frappe.conf.get("admin_password") or "admin")
		pdfs = records("PDF下载", "Administrator")
		multi = administrator.get(
			"/api/method/frappe.utils.print_format.download_multi_pdf",
			{"doctype": SUBMISSION, "name": json.dumps([world.submitted, world.second]), "format": "申报书"},
		)
		self.assertEqual(multi.status, 200, multi)
		self.assertTrue(multi.content.startswith(b"%PDF"))
		self.assertEqual(records("PDF下载", "Administrator"), pdfs + 2)
		reviewer = world.users["province_reviewer"]
		files = records("文件下载", reviewer)
		licence = browsers["province_reviewer"].get(world.licence)
		self.assertEqual(licence.status, 200, licence)
		self.assertEqual(records("文件下载", reviewer), files + 1)
		row = frappe.get_all(
			"GZ Audit Log",
			filters={"action": "文件下载", "user": reviewer},
			fields=["reference_doctype", "reference_name"],
			order_by="creation desc",
			limit=1,
		)[0]
		self.assertEqual((row.reference_doctype, row.reference_name), ("Enterprise", world.a))

	def test_a_malformed_date_in_the_certification_statistics_answers_in_chinese(self):
		# Frappe turns a report into a "prepared report" (run by a background job) for good once one run
		# took 15 s, as on a busy test machine: the reviewers' report runs at once.
		frappe.db.set_value("Report", "Enterprise Certification Statistics", "prepared_report", 0)
		reply = browsers["province_reviewer"].get(
			"/api/method/frappe.desk.query_report.run",
			{
				"report_name": "Enterprise Certification Statistics",
				"filters": json.dumps({"from_date": "2026-13-45"}),
			},
		)
		self.assertRefused(reply, (417,))
		self.assertIn("日期", reply.message)

	def test_a_reviewers_bulk_update_out_of_scope_reads_no_traceback(self):
		before = state_of("Enterprise", world.b)
		reply = browsers["city_reviewer_a"].post(
			"/api/method/frappe.client.bulk_update",
			{"docs": json.dumps([{"doctype": "Enterprise", "docname": world.b, "registered_capital": 1}])},
		)
		self.assertNotIn("Traceback", reply.text)
		self.assertIn("系统管理员", reply.text)
		self.assertUnchanged(before, "Enterprise", world.b)

	def test_refusals_of_frappes_permission_checks_are_chinese(self):
		reply = browsers["city_reviewer_a"].get(
			"/api/method/frappe.desk.form.load.getdoc", {"doctype": "Enterprise", "name": world.b}
		)
		self.assertRefused(reply, (403,))
		self.assertNotIn("Not allowed", reply.text)


# --- the generated matrix: every write method × every spelling of the route ------------------------


def write_calls(name: str, actor: str, other: str) -> dict[str, dict]:
	"""The write methods the security matrix knows, each with arguments that would change `name`."""
	doc = json.loads(frappe.as_json(frappe.get_doc(SUBMISSION, name).as_dict(convert_dates_to_str=True)))
	return {
		"frappe.model.workflow.apply_workflow": {"doc": json.dumps(doc), "action": "受理"},
		"frappe.model.workflow.bulk_workflow_approval": {
			"docnames": json.dumps([name]),
			"doctype": SUBMISSION,
			"action": "受理",
		},
		"frappe.desk.form.save.savedocs": {
			"doc": json.dumps({**doc, "review_comment": "forged"}),
			"action": "Save",
		},
		"frappe.client.set_value": {
			"doctype": SUBMISSION,
			"name": name,
			"fieldname": "review_comment",
			"value": "forged",
		},
		"frappe.client.delete": {"doctype": SUBMISSION, "name": name},
		"frappe.desk.reportview.delete_items": {"items": json.dumps([name]), "doctype": SUBMISSION},
		"frappe.desk.form.utils.add_comment": {
			"reference_doctype": SUBMISSION,
			"reference_name": name,
			"content": "forged",
			"comment_email": actor,
			"comment_by": "forged",
		},
		"frappe.desk.form.assign_to.add": {
			"doctype": SUBMISSION,
			"name": name,
			"assign_to": json.dumps([actor]),
		},
		"frappe.desk.doctype.tag.tag.add_tag": {"tag": "forged", "dt": SUBMISSION, "dn": name},
		"frappe.desk.form.document_follow.follow_document": {
			"doctype": SUBMISSION,
			"doc_name": name,
			"user": actor,
		},
		"frappe.desk.like.toggle_like": {"doctype": SUBMISSION, "name": name, "add": "Yes"},
		"frappe.share.add": {"doctype": SUBMISSION, "name": name, "user": other, "read": 1, "write": 1},
		"frappe.model.rename_doc.update_document_title": {
			"doctype": SUBMISSION,
			"docname": name,
			"name": name + "-forged",
		},
		"frappe.client.insert": {
			"doc": json.dumps(
				{
					"doctype": "ToDo",
					"description": "forged",
					"reference_type": SUBMISSION,
					"reference_name": name,
				}
			)
		},
		"run_doc_method": {
			"dt": SUBMISSION,
			"dn": name,
			"method": "add_comment",
			"args": json.dumps({"comment_type": "Workflow", "text": "审核通过"}),
		},
	}


SPELLINGS = {
	"get_api_method": lambda b, m, a: b.get(f"/api/method/{m}", a),
	"get_api_v2_method": lambda b, m, a: b.get(f"/api/v2/method/{m}", a),
	"get_cmd_on_a_page": lambda b, m, a: b.get("/account-center", {"cmd": m, **a}),
	"get_cmd_on_another_method": lambda b, m, a: b.get(
		"/api/method/frappe.auth.get_logged_user", {"cmd": m, **a}
	),
	"get_embedded_as_an_image": lambda b, m, a: b.get(
		f"/api/v2/method/{m}", a, headers={"Sec-Fetch-Dest": "image", "Sec-Fetch-Site": "same-origin"}
	),
	"get_link_from_another_site": lambda b, m, a: b.get(
		f"/api/method/{m}", a, headers={"Sec-Fetch-Dest": "document", "Sec-Fetch-Site": "cross-site"}
	),
	"post_api_method_without_token": lambda b, m, a: b.post(f"/api/method/{m}", a, token=False),
	"post_api_v2_method_without_token": lambda b, m, a: b.post(f"/api/v2/method/{m}", a, token=False),
	"post_cmd_without_token": lambda b, m, a: b.request("POST", "/", data={"cmd": m, **a}, token=False),
	"post_with_a_wrong_token": lambda b, m, a: b.post(f"/api/method/{m}", a, token="forged-token"),
	"post_embedded_in_a_frame_with_the_token": lambda b, m, a: b.post(
		f"/api/method/{m}", a, headers={"Sec-Fetch-Dest": "iframe"}
	),
}
ATTACKERS = ("city_reviewer_a", "admin_a")  # the submission's reviewer (Desk) and its enterprise's admin
WRITE_METHODS = (
	"frappe.model.workflow.apply_workflow",
	"frappe.model.workflow.bulk_workflow_approval",
	"frappe.desk.form.save.savedocs",
	"frappe.client.set_value",
	"frappe.client.delete",
	"frappe.desk.reportview.delete_items",
	"frappe.desk.form.utils.add_comment",
	"frappe.desk.form.assign_to.add",
	"frappe.desk.doctype.tag.tag.add_tag",
	"frappe.desk.form.document_follow.follow_document",
	"frappe.desk.like.toggle_like",
	"frappe.share.add",
	"frappe.model.rename_doc.update_document_title",
	"frappe.client.insert",
	"run_doc_method",
)


class TestNoWriteWithoutPostAndToken(BoundaryCase):
	"""Generated: test_<attacker>_<method>_<spelling>_changes_nothing (see the module's docstring)."""

	def test_the_matrix_covers_every_write_method(self):
		self.assertEqual(set(WRITE_METHODS), set(write_calls(world.submitted, "a", "b")))


def _make(attacker: str, method: str, spelling: str):
	def test(self):
		name = world.submitted
		other = world.users["province_reviewer"]
		args = write_calls(name, world.users[attacker], other)[method]
		before = state_of(SUBMISSION, name)
		reply = PORTAL_SPELLINGS[spelling](browsers[attacker], method, args)
		self.assertGreaterEqual(reply.status, 400, f"{method} by {spelling}: {reply}")
		self.assertFalse(reply.has_traceback, reply)
		self.assertUnchanged(before, SUBMISSION, name)

	return test


# A portal session's own token opens no Desk method either (the allow-list).
PORTAL_SPELLINGS = {**SPELLINGS, "post_with_the_token": lambda b, m, a: b.post(f"/api/method/{m}", a)}

for _attacker in ATTACKERS:
	for _method in WRITE_METHODS:
		for _spelling in PORTAL_SPELLINGS if _attacker == "admin_a" else SPELLINGS:
			_name = f"test_{_attacker}_{_method.replace('.', '_')}_{_spelling}_changes_nothing"
			setattr(TestNoWriteWithoutPostAndToken, _name, _make(_attacker, _method, _spelling))


class TestTheSameMethodsSentProperlyWork(BoundaryCase):
	"""The controls: the reviewer's own browser, POST with the session's token, changes the record, and
	a GET of a method that only reads still answers (read-only mode is no outage)."""

	def test_a_reviewers_post_with_the_token_takes_the_workflow_step(self):
		name = world.second
		reviewer = browsers["city_reviewer_a"]
		args = write_calls(name, world.users["city_reviewer_a"], world.users["province_reviewer"])
		reply = reviewer.post(
			"/api/method/frappe.model.workflow.apply_workflow", args["frappe.model.workflow.apply_workflow"]
		)
		self.assertEqual(reply.status, 200, reply)
		self.assertEqual(frappe.db.get_value(SUBMISSION, name, "status"), "市州初审")
		for method in ("frappe.desk.form.utils.add_comment", "frappe.desk.doctype.tag.tag.add_tag"):
			with self.subTest(method=method):
				before = timeline_of(SUBMISSION, name)
				args = write_calls(name, world.users["city_reviewer_a"], world.users["province_reviewer"])
				self.assertEqual(reviewer.post(f"/api/method/{method}", args[method]).status, 200)
				self.assertNotEqual(timeline_of(SUBMISSION, name), before)

	def test_a_comment_is_written_under_its_authors_own_name(self):
		reviewer = browsers["city_reviewer_a"]
		args = write_calls(world.second, "someone-else@example.com", "x")[
			"frappe.desk.form.utils.add_comment"
		]
		self.assertEqual(reviewer.post("/api/method/frappe.desk.form.utils.add_comment", args).status, 200)
		comment = frappe.get_all(
			"Comment",
			filters={"reference_name": world.second, "comment_type": "Comment"},
			fields=["comment_email", "comment_by"],
			order_by="creation desc",
			limit=1,
		)[0]
		self.assertEqual(comment.comment_email, world.users["city_reviewer_a"])
		self.assertNotEqual(comment.comment_by, "forged")

	def test_a_get_that_only_reads_still_answers(self):
		reviewer = browsers["city_reviewer_a"]
		reply = reviewer.get(
			"/api/method/frappe.desk.form.load.getdoc", {"doctype": SUBMISSION, "name": world.second}
		)
		self.assertEqual(reply.status, 200, reply)
		reply = reviewer.get(
			"/api/v2/method/frappe.client.get_value",
			{"doctype": SUBMISSION, "filters": json.dumps({"name": world.second}), "fieldname": "status"},
		)
		self.assertEqual(reply.status, 200, reply)
