"""Login, lock-out, forced password change and reset through real HTTP requests (Frappe's WSGI app)."""

import json
import secrets

import frappe
from frappe.tests.test_api import make_request
from frappe.tests.utils import FrappeTestCase
from frappe.utils import get_test_client

from gz_innovation.accounts import login as login_module
from gz_innovation.accounts.password import MUST_CHANGE_FIELD
from gz_innovation.accounts.tests.utils import (
	PASSWORD,
	create_user,
	delete_users,
	new_mobile,
	send_code,
	solved_captcha,
	use_capture_provider,
)

API = "/api/method/gz_innovation.accounts.api."


class Browser:
	"""One visitor: its own cookie jar, network address (the connection's) and, once logged in, the
	session's CSRF token, which it sends with every POST as a page's script does."""

	def __init__(self, ip="127.0.0.1"):
		self.client = get_test_client()
		self.ip = ip
		self.csrf = None

	def post(self, path, data):
		headers = {"Accept-Language": "zh-CN"}
		if self.csrf:
			headers["X-Frappe-CSRF-Token"] = self.csrf
		response = make_request(
			target=self.client.post,
			args=(path,),
			kwargs={"json": data, "headers": headers, "environ_base": {"REMOTE_ADDR": self.ip}},
		)
		message = (response.json or {}).get("message") if response.is_json else None
		if isinstance(message, dict) and message.get("csrf_token"):
			self.csrf = message["csrf_token"]
		return response

	def get(self, path):
		return make_request(
			target=self.client.get, args=(path,), kwargs={"environ_base": {"REMOTE_ADDR": self.ip}}
		)

	def login(self, identifier, password=PASSWORD, captcha=None):
		token, answer = captcha or solved_captcha()
		frappe.db.commit()  # nosemgrep: nothing to commit; keeps the test's view fresh
		return self.post(
			API + "login",
			{
				"identifier": identifier,
				"password": password,
				"captcha_token": token,
				"captcha_answer": answer,
			},
		)


def message_of(response) -> str:
	data = response.json
	if data.get("_server_messages"):
		return json.loads(json.loads(data["_server_messages"])[0])["message"]
	return data.get("message")


def has_session(response) -> bool:
	cookies = response.headers.getlist("Set-Cookie")
	return any(c.startswith("sid=") and not c.startswith("sid=Guest") for c in cookies)


class TestLogin(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		use_capture_provider()
		frappe.db.commit()  # nosemgrep
		cls.mobile = new_mobile()
		cls.user = create_user(mobile=cls.mobile, username="Login_Tester_" + secrets.token_hex(2))
		cls.username = frappe.db.get_value("User", cls.user, "username")
		cls.users = [cls.user]

	@classmethod
	def tearDownClass(cls):
		delete_users(cls.users)
		super().tearDownClass()

	def setUp(self):
		frappe.local.lang = "zh"
		frappe.cache.hdel("login_failed_count", self.user)
		frappe.cache.hdel("login_failed_time", self.user)

	def test_login_with_username_then_with_mobile(self):
		for identifier in (self.username, self.username.lower(), self.mobile):
			with self.subTest(identifier=identifier):
				response = Browser().login(identifier)
				self.assertEqual(response.status_code, 200, response.json)
				self.assertEqual(response.json["message"]["redirect"], "/account-center")
				self.assertTrue(has_session(response))

	def test_the_page_asked_for_is_where_the_login_leads(self):
		"""The home's 创新平台管理中心 sends a guest to /login?redirect-to=/cultivation: after logging in,
		there. Only this site's pages, and for a portal user never Desk or the API."""
		cases = {
			"/cultivation": "/cultivation",
			"/cultivation?tab=history": "/cultivation?tab=history",
			"https://evil.example/x": "/account-center",
			"//evil.example/x": "/account-center",
			"/\\evil.example": "/account-center",
			"/x\r\nSet-Cookie: a=b": "/account-center",
			"javascript:alert(1)": "/account-center",
			"/login": "/account-center",
			"/app/user": "/account-center",
			"/api/method/frappe.auth.get_logged_user": "/account-center",
			"/./app": "/account-center",
			"/x/../app": "/account-center",
			"/%61pp": "/account-center",
			"/./api/method/frappe.auth.get_logged_user": "/account-center",
			"/%2F%2Fevil.example": "/account-center",
			"/./login": "/account-center",
			"": "/account-center",
		}
		for wanted, lands in cases.items():
			with self.subTest(wanted=wanted):
				token, answer = solved_captcha()
				frappe.db.commit()  # nosemgrep: nothing to commit; keeps the test's view fresh
				response = Browser().post(
					API + "login",
					{
						"identifier": self.username,
						"password": PASSWORD,
						"captcha_token": token,
						"captcha_answer": answer,
						"redirect_to": wanted,
					},
				)
				self.assertEqual(response.status_code, 200, response.json)
				self.assertEqual(response.json["message"]["redirect"], lands)

	def test_a_logged_in_user_opening_the_login_page_goes_where_it_was_asked(self):
		browser = Browser()
		browser.login(self.username)
		response = browser.get("/login?redirect-to=/cultivation")
		self.assertIn(response.status_code, (301, 302, 303, 307, 308))
		self.assertTrue(response.headers["Location"].endswith("/cultivation"), response.headers["Location"])
		response = browser.get("/login?redirect-to=//evil.example/")
		self.assertNotIn("evil.example", response.headers.get("Location", ""))

	def test_the_session_is_real(self):
		browser = Browser()
		browser.login(self.mobile)
		response = browser.get("/api/method/frappe.auth.get_logged_user")
		self.assertEqual(response.json["message"], self.user)

	def test_wrong_password_and_unknown_account_look_the_same(self):
		wrong = Browser().login(self.mobile, "Wr0ngPassword")
		unknown = Browser().login(new_mobile(), "Wr0ngPassword")
		for response in (wrong, unknown):
			self.assertEqual(response.status_code, 401)
			self.assertEqual(message_of(response), "账号或密码错误")
			self.assertFalse(has_session(response))

	def test_captcha_is_required_and_checked(self):
		missing = Browser().login(self.mobile, captcha=("", ""))
		self.assertEqual(message_of(missing), "图片验证码：请输入图片中的字符")
		wrong = Browser().login(self.mobile, captcha=(solved_captcha()[0], "0000"))
		self.assertEqual(message_of(wrong), "图片验证码：错误或已过期，请按新图片重新输入")
		token, answer = solved_captcha()
		self.assertEqual(Browser().login(self.mobile, captcha=(token, answer)).status_code, 200)
		replay = Browser().login(self.mobile, captcha=(token, answer))
		self.assertEqual(message_of(replay), "图片验证码：错误或已过期，请按新图片重新输入")
		for response in (missing, wrong, replay):
			self.assertFalse(has_session(response))

	def test_frappe_standard_login_cannot_skip_the_captcha(self):
		browser = Browser()
		response = browser.post("/api/method/login", {"usr": self.user, "pwd": PASSWORD})
		self.assertEqual(response.status_code, 401)
		self.assertFalse(has_session(response))
		self.assertEqual(browser.get("/api/method/frappe.auth.get_logged_user").status_code, 403)
		# The same answer as a wrong password: nothing tells that the password was right.
		wrong = Browser().post("/api/method/login", {"usr": self.user, "pwd": "Wr0ngPassword"})
		self.assertEqual(wrong.json.get("message"), response.json.get("message"))

	def test_login_by_email_link_is_closed(self):
		queued = frappe.db.count("Email Queue")
		Browser().post("/api/method/frappe.www.login.send_login_link", {"email": self.user})
		self.assertEqual(frappe.db.count("Email Queue"), queued)
		self.assertEqual(frappe.db.get_single_value("System Settings", "login_with_email_link"), 0)

	def test_account_locks_after_repeated_failures(self):
		max_failures, _lock = login_module.lock_settings()
		for _ in range(max_failures):
			self.assertEqual(message_of(Browser().login(self.mobile, "Wr0ngPassword")), "账号或密码错误")
		locked = Browser().login(self.mobile)  # even the right password
		self.assertEqual(locked.status_code, 401)
		self.assertRegex(message_of(locked), r"^登录失败次数过多，账号已锁定，请\d+分钟后再试$")
		self.assertFalse(has_session(locked))
		# Another identifier of the same account is locked too.
		self.assertRegex(message_of(Browser().login(self.username)), "账号已锁定")

	def test_unknown_accounts_lock_the_same_way(self):
		max_failures, _lock = login_module.lock_settings()
		ghost = new_mobile()
		for _ in range(max_failures):
			Browser().login(ghost, "Wr0ngPassword")
		self.assertRegex(message_of(Browser().login(ghost, "Wr0ngPassword")), "账号已锁定")

	def test_many_enterprises_behind_one_address_still_log_in(self):
		shared_ip = "192.0.2.44"
		frappe.cache.delete(frappe.cache.make_key(f"gz_login_ip_failures:{shared_ip}"))
		others = [create_user() for _ in range(8)]
		self.users.extend(others)
		for user in others:
			mobile = frappe.db.get_value("User", user, "mobile_no")
			for _ in range(3):  # everyone mistypes a few times
				Browser(shared_ip).login(mobile, "Wr0ngPassword")
		for user in others:
			mobile = frappe.db.get_value("User", user, "mobile_no")
			self.assertEqual(Browser(shared_ip).login(mobile).status_code, 200, user)

	def test_address_locks_after_mass_guessing(self):
		ip = "192.0.2.99"
		key = frappe.cache.make_key(f"gz_login_ip_failures:{ip}")
		frappe.cache.set(key, login_module.IP_MAX_FAILURES, ex=60)
		response = Browser(ip).login(self.mobile)
		self.assertEqual(message_of(response), "您所在网络登录失败次数过多，请稍后再试")
		frappe.cache.delete(key)

	def test_disabled_account_cannot_log_in(self):
		user = create_user(enabled=0)
		self.users.append(user)
		response = Browser().login(frappe.db.get_value("User", user, "mobile_no"))
		self.assertEqual(message_of(response), "账号或密码错误")


class TestForcedPasswordChange(FrappeTestCase):
	def setUp(self):
		frappe.local.lang = "zh"
		self.user = create_user(must_change=True)
		self.mobile = frappe.db.get_value("User", self.user, "mobile_no")
		self.addCleanup(delete_users, [self.user])

	def test_default_password_must_be_changed_before_anything_else(self):
		browser = Browser()
		response = browser.login(self.mobile)
		self.assertEqual(response.json["message"]["redirect"], "/change-password")
		blocked = browser.get("/api/resource/User")
		self.assertEqual(blocked.status_code, 403)
		self.assertEqual(message_of(blocked), "请先修改默认密码")
		page = browser.get("/account-center")
		self.assertEqual(page.status_code, 301)
		self.assertEqual(page.headers["Location"], "/change-password")
		self.assertEqual(browser.get("/change-password").status_code, 200)

		weak = browser.post(
			API + "change_password",
			{"old_password": PASSWORD, "new_password": "weakweak", "confirm_password": "weakweak"},
		)
		self.assertEqual(
			message_of(weak), "密码：须至少含有数字、小写字母、大写字母、特殊字符（!@#$%^&*~）中的两种"
		)
		same = browser.post(
			API + "change_password",
			{"old_password": PASSWORD, "new_password": PASSWORD, "confirm_password": PASSWORD},
		)
		self.assertEqual(message_of(same), "新密码：不能与当前密码相同")
		changed = browser.post(
			API + "change_password",
			{"old_password": PASSWORD, "new_password": "N3wPassword", "confirm_password": "N3wPassword"},
		)
		self.assertEqual(changed.status_code, 200, changed.json)
		self.assertEqual(browser.get("/account-center").status_code, 200)
		self.assertEqual(frappe.db.get_value("User", self.user, MUST_CHANGE_FIELD), 0)
		self.assertEqual(Browser().login(self.mobile, "N3wPassword").status_code, 200)


class TestPasswordReset(FrappeTestCase):
	def setUp(self):
		frappe.local.lang = "zh"
		use_capture_provider()
		self.user = create_user()
		self.mobile = frappe.db.get_value("User", self.user, "mobile_no")
		self.addCleanup(delete_users, [self.user])

	def reset(self, browser, code, password="Res3tPass!", confirm=None):
		return browser.post(
			API + "reset_password",
			{
				"mobile": self.mobile,
				"sms_code": code,
				"password": password,
				"confirm_password": confirm or password,
			},
		)

	def request_code(self, browser):
		token, answer = solved_captcha()
		frappe.db.commit()  # nosemgrep
		return browser.post(
			API + "send_sms_code",
			{
				"mobile": self.mobile,
				"purpose": "reset_password",
				"captcha_token": token,
				"captcha_answer": answer,
			},
		)

	def test_reset_by_mobile_captcha_and_sms_code(self):
		browser = Browser()
		self.assertEqual(self.request_code(browser).status_code, 200)
		frappe.db.commit()  # nosemgrep: see the log row the request wrote
		from gz_innovation.accounts.tests.utils import last_code

		code = last_code(self.mobile)
		self.assertEqual(message_of(self.reset(browser, code, "short")), "密码：长度须为8-19位")
		self.assertEqual(self.reset(browser, code).status_code, 200)
		self.assertEqual(Browser().login(self.mobile, "Res3tPass!").status_code, 200)
		self.assertEqual(message_of(Browser().login(self.mobile, PASSWORD)), "账号或密码错误")
		# The code was used up.
		self.assertEqual(
			message_of(self.reset(browser, code)), "手机验证码：验证码已失效或未获取，请重新获取"
		)

	def test_sending_a_code_needs_the_captcha(self):
		response = Browser().post(
			API + "send_sms_code",
			{
				"mobile": self.mobile,
				"purpose": "reset_password",
				"captcha_token": "x",
				"captcha_answer": "ABCD",
			},
		)
		self.assertEqual(message_of(response), "图片验证码：错误或已过期，请按新图片重新输入")

	def test_unknown_mobile_gets_the_same_answer_and_no_sms(self):
		self.mobile = new_mobile()
		response = self.request_code(Browser())
		self.assertEqual(response.status_code, 200)
		self.assertFalse(frappe.db.exists("GZ SMS Log", {"mobile": self.mobile}))


class TestGuards(FrappeTestCase):
	def test_frappe_send_sms_is_for_system_managers_only(self):
		user = create_user()
		self.addCleanup(delete_users, [user])
		browser = Browser()
		browser.login(frappe.db.get_value("User", user, "mobile_no"))
		response = browser.post(
			"/api/method/frappe.core.doctype.sms_settings.sms_settings.send_sms",
			{"receiver_list": ["13800000000"], "msg": "spam"},
		)
		self.assertEqual(response.status_code, 403)

	def test_test_hooks_exist_only_in_test_mode(self):
		from gz_innovation.accounts import api

		frappe.local.conf.allow_tests = False
		try:
			with self.assertRaises(frappe.PageDoesNotExistError):
				api.test_captcha_answer("anything")
		finally:
			frappe.local.conf.allow_tests = True


class TestPasswordRuleEverywhere(FrappeTestCase):
	def setUp(self):
		frappe.local.lang = "zh"

	def test_desk_password_change_follows_the_rule(self):
		from gz_innovation.accounts.messages import AccountError

		user = create_user()
		self.addCleanup(delete_users, [user])
		doc = frappe.get_doc("User", user)
		doc.new_password = "password"
		with self.assertRaises(AccountError) as raised:
			doc.save(ignore_permissions=True)
		self.assertEqual(
			str(raised.exception), "密码：须至少含有数字、小写字母、大写字母、特殊字符（!@#$%^&*~）中的两种"
		)

	def test_frappe_update_password_endpoint_follows_the_rule(self):
		"""Desk's change-password dialog follows the manual's rule; a portal user changes the password on
		the portal's own page (Frappe's method is not on the portal's allow-list)."""
		from gz_innovation.enterprise.tests.utils import create_regulator

		desk_user, portal_user = create_regulator(), create_user()
		self.addCleanup(delete_users, [desk_user, portal_user])
		browser = Browser()
		browser.login(desk_user)
		response = browser.post(
			"/api/method/frappe.core.doctype.user.user.update_password",
			{"new_password": "short", "old_password": PASSWORD},
		)
		self.assertEqual(message_of(response), "密码：长度须为8-19位")
		portal = Browser()
		portal.login(frappe.db.get_value("User", portal_user, "mobile_no"))
		refused = portal.post(
			"/api/method/frappe.core.doctype.user.user.update_password",
			{"new_password": "N3wPassword", "old_password": PASSWORD},
		)
		self.assertEqual(refused.status_code, 403)
