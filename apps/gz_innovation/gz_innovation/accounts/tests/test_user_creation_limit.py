"""Registration at province scale (issue 14): Frappe refuses every new user of a site once
`throttle_user_limit` (default 60) were created in the past hour. The app's set-up gives every site
it is installed on a limit far above a deadline day, so registration and staff accounts go on;
the app's own limits (captcha, SMS code, sends per mobile and per address) do the guarding, and
they outlive a full cache clear. A new account no longer clears the site's cache (overrides/performance.py)."""

import json
import os
import secrets

import frappe
from frappe.auth import LoginAttemptTracker
from frappe.installer import update_site_config
from frappe.tests.utils import FrappeTestCase

from gz_innovation.accounts import captcha, codes
from gz_innovation.accounts import login as login_flow
from gz_innovation.accounts.messages import AccountError
from gz_innovation.accounts.setup import USER_CREATION_LIMIT_PER_HOUR, ensure_user_creation_limit
from gz_innovation.accounts.tests.test_login import Browser, message_of
from gz_innovation.accounts.tests.utils import (
	PASSWORD,
	create_user,
	delete_users,
	last_code,
	new_mobile,
	new_username,
	send_code,
	solved_captcha,
	use_capture_provider,
)
from gz_innovation.enterprise.tests.utils import create_certified_enterprise, delete_enterprises
from gz_innovation.overrides import performance

FRAPPE_DEFAULT_LIMIT = 60


def site_config_on_disk() -> dict:
	with open(os.path.join(frappe.local.site_path, "site_config.json")) as f:
		return json.load(f)


def set_limit(value) -> None:
	"""Write the site's limit (None removes it), as `bench set-config` does, and in this process."""
	update_site_config("throttle_user_limit", "None" if value is None else value)
	if value is None:
		frappe.local.conf.pop("throttle_user_limit", None)
	else:
		frappe.local.conf.throttle_user_limit = value


class TestUserCreationLimit(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		use_capture_provider()
		frappe.db.commit()  # nosemgrep
		cls.users, cls.enterprises = [], []

	@classmethod
	def tearDownClass(cls):
		delete_enterprises(cls.enterprises)
		delete_users(cls.users)
		super().tearDownClass()

	def setUp(self):
		frappe.local.lang = "zh"

	def test_setup_writes_the_limit_when_missing_and_keeps_the_administrators(self):
		before = site_config_on_disk().get("throttle_user_limit")
		try:
			set_limit(None)
			ensure_user_creation_limit()
			self.assertEqual(site_config_on_disk()["throttle_user_limit"], USER_CREATION_LIMIT_PER_HOUR)
			self.assertEqual(frappe.conf.throttle_user_limit, USER_CREATION_LIMIT_PER_HOUR)
			set_limit(5000)
			ensure_user_creation_limit()
			self.assertEqual(site_config_on_disk()["throttle_user_limit"], 5000)
		finally:
			set_limit(before)

	def test_more_than_60_new_users_in_an_hour_register_and_are_added_as_staff(self):
		self.assertGreaterEqual(frappe.conf.get("throttle_user_limit", FRAPPE_DEFAULT_LIMIT), 1000)
		# The hour's count past Frappe's default, through Frappe's own User insert (as tests elsewhere
		# in the run may have done already).
		while frappe.db.get_creation_count("User", 60) <= FRAPPE_DEFAULT_LIMIT:
			self.users.append(create_user())
		self.assertGreater(frappe.db.get_creation_count("User", 60), FRAPPE_DEFAULT_LIMIT)

		# A new user registers over HTTP: captcha, SMS code, register.
		browser = Browser(ip=f"10.14.{secrets.randbelow(250)}.{secrets.randbelow(250) + 1}")
		mobile, username = new_mobile(), new_username()
		token, answer = solved_captcha()
		sent = browser.post(
			"/api/method/gz_innovation.accounts.api.send_sms_code",
			{"mobile": mobile, "purpose": "register", "captcha_token": token, "captcha_answer": answer},
		)
		self.assertEqual(sent.status_code, 200, message_of(sent))
		frappe.db.commit()  # nosemgrep: nothing to commit; the request's SMS log becomes visible
		registered = browser.post(
			"/api/method/gz_innovation.accounts.api.register",
			{
				"mobile": mobile,
				"sms_code": last_code(mobile),
				"username": username,
				"full_name": "省级注册高峰",
				"password": PASSWORD,
				"confirm_password": PASSWORD,
				"consent": 1,
			},
		)
		self.assertEqual(registered.status_code, 200, message_of(registered))
		frappe.db.commit()  # nosemgrep: nothing to commit; the request's new account becomes visible
		self.users.append(frappe.db.get_value("User", {"username": username}))
		self.assertTrue(self.users[-1])

		# Meanwhile an enterprise admin adds a staff account over HTTP.
		admin = create_user()
		self.users.append(admin)
		self.enterprises.append(create_certified_enterprise(admin))
		desk = Browser(ip=f"10.15.{secrets.randbelow(250)}.{secrets.randbelow(250) + 1}")
		self.assertEqual(desk.login(frappe.db.get_value("User", admin, "username")).status_code, 200)
		staff_username = new_username()
		added = desk.post(
			"/api/method/gz_innovation.enterprise.api.add_staff",
			{
				"enterprise": self.enterprises[-1],
				"mobile": new_mobile(),
				"username": staff_username,
				"full_name": "新员工",
				"default_password": "Default123",
			},
		)
		self.assertEqual(added.status_code, 200, message_of(added))
		self.users.append(added.json["message"]["user"])
		frappe.db.commit()  # nosemgrep: nothing to commit; the request's new account becomes visible
		self.assertEqual(frappe.db.get_value("User", {"username": staff_username}), self.users[-1])
		self.assertGreater(frappe.db.get_creation_count("User", 60), FRAPPE_DEFAULT_LIMIT + 1)

	def test_a_full_cache_clear_leaves_the_captchas_codes_and_limits_of_everyone(self):
		"""A full cache clear (Frappe v15 did one on every User insert) must not void the captchas
		and SMS codes visitors are typing, nor reset the abuse limits and lock-outs."""
		token, answer = solved_captcha()
		mobile = new_mobile()
		code = send_code(mobile, ip="10.16.0.1")
		ip = f"10.16.{secrets.randbelow(250)}.{secrets.randbelow(250) + 1}"
		login_flow.add_ip_failure(ip)
		locked_out = create_user()
		self.users.append(locked_out)
		LoginAttemptTracker(locked_out, max_consecutive_login_attempts=5).add_failure_attempt()

		# What Frappe does on many occasions (a system default written, bench clear-cache, and in
		# Frappe v15 every User save, before overrides/performance.py): every Redis key of the site goes.
		frappe.clear_cache()

		self.assertEqual(captcha.answer_in_test_mode(token), answer)
		codes.check_code(mobile, "register", code)  # still the live code: no error
		with self.assertRaises(AccountError):  # the resend cooldown still runs
			codes.request_code(mobile, "register", "10.16.0.1")
		self.assertEqual(frappe.cache.get(login_flow._ip_key(ip)), b"1")
		self.assertEqual(LoginAttemptTracker(locked_out).login_failed_count, 1)
		self.assertTrue(captcha.check_captcha(token, answer))

	def test_a_registration_keeps_the_sites_cache(self):
		"""Frappe's User.validate rewrote a system default on every save, which clears every Redis
		key of the site: under a registration burst every worker reloaded every DocType's meta."""
		frappe.cache.set_value("gz_test_cache_marker", "kept")
		browser = Browser(ip=f"10.17.{secrets.randbelow(250)}.{secrets.randbelow(250) + 1}")
		mobile, username = new_mobile(), new_username()
		token, answer = solved_captcha()
		browser.post(
			"/api/method/gz_innovation.accounts.api.send_sms_code",
			{"mobile": mobile, "purpose": "register", "captcha_token": token, "captcha_answer": answer},
		)
		frappe.db.commit()  # nosemgrep: nothing to commit; the request's SMS log becomes visible
		registered = browser.post(
			"/api/method/gz_innovation.accounts.api.register",
			{
				"mobile": mobile,
				"sms_code": last_code(mobile),
				"username": username,
				"full_name": "缓存测试",
				"password": PASSWORD,
				"confirm_password": PASSWORD,
				"consent": 1,
			},
		)
		self.assertEqual(registered.status_code, 200, message_of(registered))
		frappe.db.commit()  # nosemgrep
		self.users.append(frappe.db.get_value("User", {"username": username}))
		frappe.local.cache = {}  # read Redis, not this request's copy
		self.assertEqual(frappe.cache.get_value("gz_test_cache_marker"), "kept")
		frappe.cache.delete_value("gz_test_cache_marker")

	def test_the_awaiting_password_default_still_follows_the_email_accounts(self):
		import frappe.core.doctype.user.user as user_module

		frappe.db.set_default(performance.EMAIL_PASSWORD_DEFAULT, "stale@example.com")
		user_module.ask_pass_update()  # the list of accounts awaiting a password changed: rewritten
		awaiting = frappe.get_all(
			"User Email", filters={"awaiting_password": 1, "used_oauth": 0}, pluck="parent"
		)
		self.assertEqual(frappe.db.get_default(performance.EMAIL_PASSWORD_DEFAULT) or "", ",".join(awaiting))
