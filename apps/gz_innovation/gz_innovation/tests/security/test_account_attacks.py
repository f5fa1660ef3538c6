"""Attacks on accounts and sessions, each named after the attack, through real HTTP requests."""

import json
import secrets
import threading

import frappe
from frappe.auth import LoginAttemptTracker
from frappe.tests.test_api import make_request
from frappe.tests.utils import FrappeTestCase
from frappe.utils import get_test_client

from gz_innovation.accounts import codes
from gz_innovation.accounts.password import MUST_CHANGE_FIELD
from gz_innovation.accounts.tests.utils import (
	PASSWORD,
	clear_send_limits,
	create_user,
	delete_users,
	last_code,
	new_mobile,
	new_username,
	send_code,
	solved_captcha,
	use_capture_provider,
)
from gz_innovation.enterprise.tests.utils import create_regulator
from gz_innovation.tests.security.client import CJK, Visitor

LOGIN = "gz_innovation.accounts.api.login"


def at_once(visitors_and_calls) -> list:
	"""Send several requests at the same moment (one thread each), as parallel clients would."""
	frappe.db.commit()  # nosemgrep: the requests run in their own transactions
	barrier = threading.Barrier(len(visitors_and_calls))
	results = [None] * len(visitors_and_calls)
	site = frappe.local.site

	def run(index, visitor, path, data):
		def call():
			barrier.wait()
			headers = {"X-Frappe-CSRF-Token": visitor.csrf} if getattr(visitor, "csrf", None) else {}
			return visitor.client.post(
				path, json=data, headers=headers, environ_base={"REMOTE_ADDR": visitor.ip}
			)

		results[index] = make_request(target=call, args=(), kwargs={}, site=site)

	threads = [
		threading.Thread(target=run, args=(i, visitor, path, data))
		for i, (visitor, path, data) in enumerate(visitors_and_calls)
	]
	for thread in threads:
		thread.start()
	for thread in threads:
		thread.join()
	frappe.db.rollback()
	return results


def failures_of(user: str) -> int:
	tracker = LoginAttemptTracker(user)
	return tracker.login_failed_count or 0


class TestAccountAttacks(FrappeTestCase):
	def setUp(self):
		frappe.local.lang = "zh"
		use_capture_provider()
		self.users = []
		self.addCleanup(lambda: delete_users(self.users))

	def user(self, **kwargs) -> str:
		user = create_user(**kwargs)
		self.users.append(user)
		return user

	def test_frappe_login_endpoint_checks_no_password_and_counts_no_failure(self):
		user = self.user()
		before = failures_of(user)
		visitor = Visitor()
		right = visitor.post("/api/method/login", {"usr": user, "pwd": PASSWORD})
		wrong = Visitor().post("/api/method/login", {"usr": user, "pwd": "Wr0ngPassword"})
		for response in (right, wrong):
			self.assertEqual(response.status, 401)
			self.assertRegex(response.message, CJK)
			self.assertFalse(response.has_traceback, response.text[:600])
		self.assertEqual(visitor.get("/api/method/frappe.auth.get_logged_user").status, 403)  # no session
		self.assertEqual(right.message, wrong.message)  # nothing tells that the password was right
		self.assertEqual(failures_of(user), before)  # and nobody can lock an account through it
		self.assertIsNone(frappe.db.get_value("User", user, "last_login"))

	def test_sessions_opened_without_a_password_still_work(self):
		"""Single sign-on (Social Login, LDAP) and login_as in tests open sessions without the captcha."""
		from frappe.auth import CookieManager, LoginManager
		from frappe.utils import set_request

		user = self.user()
		set_request(path="/")
		frappe.local.cookie_manager = CookieManager()
		frappe.local.login_manager = LoginManager()
		frappe.local.login_manager.login_as(user)
		sid = frappe.session.sid
		frappe.set_user("Administrator")
		response = Visitor().get("/api/method/frappe.auth.get_logged_user", sid=sid)
		self.assertEqual(response.status, 200, response)
		self.assertEqual(response.json["message"], user)

	def test_one_captcha_answer_serves_one_of_many_parallel_logins(self):
		users = [self.user() for _ in range(6)]
		token, answer = solved_captcha()
		results = at_once(
			[
				(
					Visitor(f"10.30.0.{i}"),
					"/api/method/" + LOGIN,
					{
						"identifier": frappe.db.get_value("User", user, "mobile_no"),
						"password": PASSWORD,
						"captcha_token": token,
						"captcha_answer": answer,
					},
				)
				for i, user in enumerate(users)
			]
		)
		self.assertEqual(
			sorted(r.status_code for r in results).count(200), 1, [r.status_code for r in results]
		)

	def test_parallel_wrong_codes_cannot_exceed_the_tries(self):
		mobile = new_mobile()
		code = send_code(mobile)
		wrong = f"{(int(code) + 1) % 1000000:06d}"
		form = {
			"mobile": mobile,
			"sms_code": wrong,
			"username": new_username(),
			"full_name": "张三",
			"password": PASSWORD,
			"confirm_password": PASSWORD,
			"consent": 1,
		}
		at_once(
			[
				(Visitor(f"10.31.0.{i}"), "/api/method/gz_innovation.accounts.api.register", form)
				for i in range(12)
			]
		)
		# Five wrong tries (the default) used the code up, however many arrived at once.
		response = Visitor().post(
			"/api/method/gz_innovation.accounts.api.register", {**form, "sms_code": code}
		)
		self.assertEqual(response.message, "手机验证码：验证码已失效或未获取，请重新获取")
		self.assertFalse(frappe.db.exists("User", {"mobile_no": mobile}))

	def test_one_code_makes_one_account_however_many_register_at_once(self):
		mobile = new_mobile()
		code = send_code(mobile)
		forms = [
			{
				"mobile": mobile,
				"sms_code": code,
				"username": new_username(),
				"full_name": "张三",
				"password": PASSWORD,
				"confirm_password": PASSWORD,
				"consent": 1,
			}
			for _ in range(5)
		]
		results = at_once(
			[
				(Visitor(f"10.32.0.{i}"), "/api/method/gz_innovation.accounts.api.register", f)
				for i, f in enumerate(forms)
			]
		)
		created = frappe.get_all("User", filters={"mobile_no": mobile}, pluck="name")
		self.users += created
		self.assertEqual(len(created), 1, [r.status_code for r in results])
		self.assertEqual([r.status_code for r in results].count(200), 1)

	def send_code_over_http(self, mobile: str, purpose: str, ip: str):
		token, answer = solved_captcha()
		return Visitor(ip).method(
			"gz_innovation.accounts.api.send_sms_code",
			mobile=mobile,
			purpose=purpose,
			captcha_token=token,
			captcha_answer=answer,
		)

	def test_send_code_tells_nobody_whether_a_number_has_an_account(self):
		registered = frappe.db.get_value("User", self.user(), "mobile_no")
		unknown = new_mobile()
		for purpose in ("register", "reset_password"):
			for mobile in (registered, unknown):
				clear_send_limits(mobile, "10.33.0.1")
			first = [self.send_code_over_http(m, purpose, "10.33.0.1") for m in (registered, unknown)]
			again = [self.send_code_over_http(m, purpose, "10.33.0.1") for m in (registered, unknown)]
			with self.subTest(purpose=purpose):
				self.assertEqual([r.status for r in first], [200, 200])
				self.assertEqual(first[0].json, first[1].json)
				# The resend cooldown counts alike, so it tells nothing either.
				self.assertEqual([r.status for r in again], [417, 417])
				self.assertEqual(again[0].message.split("请")[0], again[1].message.split("请")[0])
		# Behind the same answers: the registered number's owner got a notice (no code) for the
		# registration and a code for the reset; the unknown number a code to register and nothing else.
		sent = lambda mobile: frappe.get_all(  # noqa: E731
			"GZ SMS Log", filters={"mobile": mobile}, pluck="purpose", order_by="creation asc"
		)
		self.assertEqual(sent(registered), [codes.REGISTERED_NOTICE, codes.TEMPLATE])
		self.assertEqual(sent(unknown), [codes.TEMPLATE])
		notice = frappe.get_all(
			"GZ SMS Log", filters={"mobile": registered, "purpose": codes.REGISTERED_NOTICE}, pluck="message"
		)
		self.assertNotRegex(notice[0], r"\d{6}")

	def test_frappe_reset_password_tells_nobody_whether_an_account_exists(self):
		reviewer = create_regulator()
		self.users.append(reviewer)
		portal = self.user()
		queued = frappe.db.count("Email Queue")
		ip = "10.34.{}.{}".format(*secrets.token_bytes(2))  # Frappe limits resets per address and hour
		answers = [
			Visitor(ip).method("frappe.core.doctype.user.user.reset_password", user=user)
			for user in (reviewer, portal, "nobody-" + new_username() + "@example.com")
		]
		self.assertEqual({r.status for r in answers}, {200}, answers)
		self.assertEqual(len({r.message for r in answers}), 1, [r.message for r in answers])
		self.assertRegex(answers[0].message, CJK)
		# Only the Desk user with a real address was mailed; portal accounts reset by SMS.
		self.assertEqual(frappe.db.count("Email Queue"), queued + 1)

	def test_a_used_reset_link_dies(self):
		reviewer = create_regulator()
		self.users.append(reviewer)
		link = frappe.get_doc("User", reviewer).reset_password()
		key = link.split("key=")[1]
		frappe.db.commit()  # nosemgrep
		first = Visitor().method(
			"frappe.core.doctype.user.user.update_password", new_password="N3w!Passw0rd", key=key
		)
		self.assertEqual(first.status, 200, first)
		second = Visitor().method(
			"frappe.core.doctype.user.user.update_password", new_password="Oth3r!Passw0rd", key=key
		)
		self.assertEqual(second.status, 410, second)
		self.assertRegex(second.message, CJK)
		Visitor().login(reviewer, "N3w!Passw0rd")  # the first change holds

	def test_changing_the_password_ends_the_other_sessions(self):
		user = self.user()
		kept, other = Visitor().login(user), Visitor("10.35.0.2").login(user)
		changed = kept.method(
			"gz_innovation.accounts.api.change_password",
			old_password=PASSWORD,
			new_password="N3wPassword!",
			confirm_password="N3wPassword!",
		)
		self.assertEqual(changed.status, 200, changed)
		self.assertEqual(kept.get("/api/method/frappe.auth.get_logged_user").json.get("message"), user)
		self.assertNotEqual(other.get("/api/method/frappe.auth.get_logged_user").json.get("message"), user)

	def test_desk_password_change_ends_the_other_sessions_too(self):
		reviewer = create_regulator()
		self.users.append(reviewer)
		kept, other = Visitor().login(reviewer), Visitor("10.35.0.3").login(reviewer)
		changed = kept.method(
			"frappe.core.doctype.user.user.update_password",
			new_password="N3w!Passw0rd",
			old_password=PASSWORD,
			logout_all_sessions=0,  # asked to keep them: they end anyway
		)
		self.assertEqual(changed.status, 200, changed)
		self.assertNotEqual(
			other.get("/api/method/frappe.auth.get_logged_user").json.get("message"), reviewer
		)

	def test_a_default_password_blocks_every_route_until_changed(self):
		from gz_innovation.enterprise.tests.utils import create_certified_enterprise, delete_enterprises

		staff = self.user(must_change=True)
		admin = self.user()
		enterprise = create_certified_enterprise(admin)
		self.addCleanup(delete_enterprises, [enterprise])
		from gz_innovation.enterprise.membership import add_member
		from gz_innovation.enterprise.roles import STAFF_ROLE

		add_member(enterprise, staff, STAFF_ROLE)
		frappe.db.commit()  # nosemgrep
		visitor = Visitor().login(staff)
		refused = {
			"method": visitor.method("gz_innovation.cultivation.api.get_center"),
			"resource": visitor.get("/api/resource/Enterprise/" + enterprise),
			"cmd": visitor.cmd("gz_innovation.cultivation.api.get_center"),
			"cmd through an allowed path": visitor.request(
				"POST", "/api/method/logout", data={"cmd": "gz_innovation.cultivation.api.get_center"}
			),
			"own flag cleared": visitor.method(
				"frappe.client.set_value", doctype="User", name=staff, fieldname=MUST_CHANGE_FIELD, value=0
			),
		}
		for route, response in refused.items():
			with self.subTest(route=route):
				self.assertEqual(response.status, 403, response)
				self.assertEqual(response.message, "请先修改默认密码")
		page = visitor.request("GET", "/cultivation")
		self.assertEqual((page.status, page.raw.headers.get("Location")), (301, "/change-password"))
		self.assertEqual(frappe.db.get_value("User", staff, MUST_CHANGE_FIELD), 1)

	def test_reviewers_cannot_widen_their_own_scope(self):
		reviewer = create_regulator(city="遵义市")
		self.users.append(reviewer)
		visitor = Visitor().login(reviewer)
		roles = sorted(frappe.get_roles(reviewer))
		city = visitor.put(f"/api/resource/User/{reviewer}", {"gz_review_city": ""})
		self.assertEqual(city.status, 403, city)
		self.assertRegex(city.message, "只有系统管理员可以修改")
		visitor.put(
			f"/api/resource/User/{reviewer}",
			{"roles": [{"role": r} for r in (*roles, "System Manager", "GZ Province Reviewer")]},
		)
		self.assertEqual(frappe.db.get_value("User", reviewer, "gz_review_city"), "遵义市")
		self.assertEqual(sorted(frappe.get_roles(reviewer)), roles)

	def test_oauth_password_grant_cannot_skip_the_captcha(self):
		user = self.user()
		response = Visitor().request(
			"POST",
			"/api/method/frappe.integrations.oauth2.get_token",
			data={"grant_type": "password", "username": user, "password": PASSWORD, "client_id": "x"},
		)
		self.assertEqual(response.status, 400)
		self.assertEqual(response.json.get("error"), "unsupported_grant_type")
		self.assertEqual(failures_of(user), 0)

	def test_tracebacks_reach_system_managers_only(self):
		user = self.user()
		manager = create_regulator()
		self.users.append(manager)
		frappe.get_doc("User", manager).add_roles("System Manager")
		broken = "/api/method/frappe.client.get_value"  # called without its arguments: fails inside Frappe
		self.addCleanup(frappe.db.set_single_value, "System Settings", "allow_error_traceback", 0)
		for show_full_error in (0, 1):  # as set up, and with an administrator turning it on
			frappe.db.set_single_value("System Settings", "allow_error_traceback", show_full_error)
			with self.subTest(show_full_error=show_full_error):
				for visitor in (Visitor(), Visitor().login(user)):
					response = visitor.request("POST", broken, json={})
					self.assertGreaterEqual(response.status, 400)
					self.assertFalse(response.has_traceback, response.text[:300])
				response = Visitor().login(manager).request("POST", broken, json={})
				self.assertEqual(response.status, 500)
				self.assertTrue(response.has_traceback, "System Managers still get the traceback")
		frappe.db.set_single_value("System Settings", "allow_error_traceback", 0)
		self.assertFalse(Visitor().post("/api/method/login", {"usr": user, "pwd": "x"}).has_traceback)

	def test_portal_users_and_guests_cannot_upload_files(self):
		user = self.user()
		files = frappe.db.count("File")
		for visitor in (Visitor(), Visitor().login(user)):
			response = visitor.upload(
				is_private=0, filename="page.html", content=b"<script>alert(1)</script>"
			)
			self.assertIn(response.status, (401, 403), response)
		self.assertEqual(frappe.db.count("File"), files)
