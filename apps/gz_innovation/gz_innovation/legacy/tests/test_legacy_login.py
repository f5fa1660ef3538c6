"""Legacy users log in through the real login endpoint with their old passwords (manual §1.7)."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils.password import check_password, get_decrypted_password

from gz_innovation.accounts import login as login_module
from gz_innovation.accounts.password import set_password
from gz_innovation.accounts.tests.test_login import Browser, has_session, message_of
from gz_innovation.accounts.tests.utils import use_capture_provider
from gz_innovation.legacy.passwords import has_own_password
from gz_innovation.legacy.tests.utils import (
	SAMPLE_PASSWORDS,
	ZHIYUAN,
	delete_sample,
	import_files,
	sample_files,
)


def user_of(username: str) -> str:
	return frappe.db.get_value("User", {"username": username})


def legacy_hash_of(user: str) -> str | None:
	return get_decrypted_password("Legacy Account", user, "password_hash", raise_exception=False)


class TestLegacyLogin(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		use_capture_provider()

	@classmethod
	def tearDownClass(cls):
		delete_sample()
		super().tearDownClass()

	def setUp(self):
		# Every test starts from a fresh import: a first login changes the accounts for good.
		frappe.local.lang = "zh"
		delete_sample()
		import_files(sample_files())

	def test_every_scheme_logs_in_once_then_frappe_holds_the_password(self):
		for username, password in SAMPLE_PASSWORDS.items():
			with self.subTest(username=username):
				user = user_of(username)
				self.assertTrue(legacy_hash_of(user))
				self.assertFalse(has_own_password(user))
				response = Browser().login(username, password)
				self.assertEqual(response.status_code, 200, message_of(response))
				self.assertTrue(has_session(response))
				# Re-hashed into Frappe's store, the legacy hash dropped.
				self.assertIsNone(legacy_hash_of(user))
				self.assertTrue(frappe.db.get_value("Legacy Account", user, "password_upgraded_on"))
				check_password(user, password, delete_tracker_cache=False)
				stored = frappe.db.sql(
					"select password from `__Auth` where doctype='User' and name=%s and fieldname='password'",
					user,
				)[0][0]
				self.assertTrue(stored.startswith(("$pbkdf2-sha256$", "$argon2")), stored[:12])
				# And the next login goes through Frappe's own check.
				self.assertEqual(Browser().login(username, password).status_code, 200)

	def test_admins_of_enterprises_to_complete_are_sent_to_review_their_data(self):
		admin = Browser().login("guizhu_admin", SAMPLE_PASSWORDS["guizhu_admin"])
		self.assertEqual(admin.json["message"]["redirect"], "/enterprise-update")
		staff = Browser().login("guizhu_liu", SAMPLE_PASSWORDS["guizhu_liu"])
		self.assertEqual(staff.json["message"]["redirect"], "/account-center")

	def test_the_enterprise_code_logs_in_its_admin_even_when_it_fails_the_check(self):
		response = Browser().login(ZHIYUAN, SAMPLE_PASSWORDS["zhiyuan_admin"])
		self.assertEqual(response.status_code, 200, message_of(response))
		self.assertEqual(response.json["message"]["redirect"], "/enterprise-update")

	def test_a_wrong_password_counts_toward_lock_out_and_moves_nothing(self):
		user = user_of("tianyan_sun")
		max_failures, _lock = login_module.lock_settings()
		for _ in range(max_failures):
			self.assertEqual(message_of(Browser().login("tianyan_sun", "not-the-password")), "账号或密码错误")
		self.assertTrue(legacy_hash_of(user))
		locked = Browser().login("tianyan_sun", SAMPLE_PASSWORDS["tianyan_sun"])
		self.assertRegex(message_of(locked), "账号已锁定")
		self.assertFalse(has_session(locked))
		self.assertTrue(legacy_hash_of(user))  # the right password while locked moves nothing
		self.assertFalse(has_own_password(user))

	def test_a_replaced_legacy_hash_never_works_again(self):
		user = user_of("miaoling_zhao")
		set_password(user, "NewPass#2026", must_change=False)  # e.g. reset by SMS code
		frappe.db.commit()  # nosemgrep
		self.assertIsNone(legacy_hash_of(user))
		old = Browser().login("miaoling_zhao", SAMPLE_PASSWORDS["miaoling_zhao"])
		self.assertEqual(old.status_code, 401)
		self.assertEqual(message_of(old), "账号或密码错误")
		self.assertEqual(Browser().login("miaoling_zhao", "NewPass#2026").status_code, 200)

	def test_a_disabled_legacy_user_cannot_log_in(self):
		user = user_of("hongfu_old")
		response = Browser().login("hongfu_old", "wujun1980")
		self.assertEqual(response.status_code, 401)
		self.assertFalse(has_session(response))
		self.assertFalse(has_own_password(user))
