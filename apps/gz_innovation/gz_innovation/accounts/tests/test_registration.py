"""Registration, SMS codes and captcha (manual §2.1.1): each rule with the exact Chinese message."""

import secrets

import frappe
from frappe.tests.utils import FrappeTestCase

from gz_innovation.accounts import captcha, codes
from gz_innovation.accounts.messages import AccountError
from gz_innovation.accounts.registration import PERSONAL_USER_ROLE, register
from gz_innovation.accounts.tests.utils import (
	PASSWORD,
	clear_send_limits,
	create_user,
	delete_users,
	last_code,
	new_mobile,
	new_username,
	send_code,
	use_capture_provider,
)


class AccountsTestCase(FrappeTestCase):
	def setUp(self):
		frappe.local.lang = "zh"
		use_capture_provider()

	def assertProblem(self, message, func, *args, **kwargs):
		with self.assertRaises(AccountError) as raised:
			func(*args, **kwargs)
		self.assertEqual(str(raised.exception), message)


class TestRegistration(AccountsTestCase):
	def form(self, mobile, code, **overrides):
		values = {
			"mobile": mobile,
			"sms_code": code,
			"username": new_username(),
			"full_name": "张三",
			"password": PASSWORD,
			"confirm_password": PASSWORD,
			"consent": True,
		}
		values.update(overrides)
		return values

	def test_registration_creates_a_personal_portal_user(self):
		mobile = new_mobile()
		code = send_code(mobile)
		username = "张三_" + secrets.token_hex(3)
		user = register(**self.form(mobile, code, username=username))
		doc = frappe.get_doc("User", user)
		self.assertEqual(doc.user_type, "Website User")
		self.assertEqual(doc.mobile_no, mobile)
		self.assertEqual(doc.username, username)
		self.assertEqual(doc.full_name, "张三")
		self.assertEqual([r.role for r in doc.roles], [PERSONAL_USER_ROLE])
		from frappe.utils.password import check_password

		self.assertEqual(check_password(user, PASSWORD), user)

	def test_each_bad_field_names_it_in_chinese_and_changes_nothing(self):
		mobile = new_mobile()
		code = send_code(mobile)
		cases = [
			({"mobile": ""}, "手机号码：请输入手机号码"),
			({"mobile": "12345678901"}, "手机号码：请输入正确的11位中国大陆手机号码"),
			({"username": ""}, "用户名：请输入用户名"),
			({"username": "a"}, "用户名：长度2-30，可使用中文、大小写字母、数字、下划线"),
			({"username": "bad name!"}, "用户名：长度2-30，可使用中文、大小写字母、数字、下划线"),
			({"username": "x" * 31}, "用户名：长度2-30，可使用中文、大小写字母、数字、下划线"),
			({"username": "13800000000"}, "用户名：不能使用手机号码作为用户名"),
			({"full_name": ""}, "姓名：请输入真实姓名"),
			({"full_name": "名" * 31}, "姓名：长度不能超过30个字符"),
			({"password": "", "confirm_password": ""}, "密码：请输入密码"),
			({"password": "Ab1!", "confirm_password": "Ab1!"}, "密码：长度须为8-19位"),
			({"password": "Abcdefgh123456789012"}, "密码：长度须为8-19位"),
			(
				{"password": "abcdefgh", "confirm_password": "abcdefgh"},
				"密码：须至少含有数字、小写字母、大写字母、特殊字符（!@#$%^&*~）中的两种",
			),
			({"password": "abcd 1234"}, "密码：只能包含数字、小写字母、大写字母和特殊字符（!@#$%^&*~）"),
			({"confirm_password": "Other0rd!"}, "确认密码：两次输入的密码不一致"),
			({"consent": False}, "请阅读并同意《贵州工业云用户注册协议》《贵州工业云登录服务协议》"),
			({"sms_code": ""}, "手机验证码：请输入手机收到的验证码"),
			({"sms_code": "12ab56"}, "手机验证码：验证码错误"),
		]
		users_before = frappe.db.count("User")
		for overrides, message in cases:
			with self.subTest(overrides=overrides):
				self.assertProblem(message, register, **{**self.form(mobile, code), **overrides})
		self.assertEqual(frappe.db.count("User"), users_before)
		self.assertFalse(frappe.db.exists("User", {"mobile_no": mobile}))
		# None of the failures used up the code: it still registers.
		self.assertTrue(register(**self.form(mobile, code)))

	def test_taken_mobile_and_username_are_told_only_once_the_code_proved_the_mobile(self):
		existing = create_user(username="Taken_Name")
		self.addCleanup(delete_users, [existing])
		taken_mobile = frappe.db.get_value("User", existing, "mobile_no")
		# Without a code, a number with an account gets what any number gets.
		no_code = "手机验证码：验证码已失效或未获取，请重新获取"
		self.assertProblem(no_code, register, **self.form(taken_mobile, "123456"))
		self.assertProblem(no_code, register, **self.form(new_mobile(), "123456"))
		# Once the code proved the mobile, what is taken is named (usernames case-insensitively).
		mobile = new_mobile()
		code = send_code(mobile)
		self.assertProblem(
			"用户名：该用户名已被使用", register, **self.form(mobile, code, username="taken_name")
		)
		code = send_code(taken_mobile)
		self.assertProblem("手机号码：该手机号码已注册", register, **self.form(taken_mobile, code))

	def test_wrong_codes_are_bounded_then_the_code_dies(self):
		mobile = new_mobile()
		code = send_code(mobile)
		wrong = f"{(int(code) + 1) % 1000000:06d}"
		for _ in range(4):
			self.assertProblem("手机验证码：验证码错误", register, **self.form(mobile, wrong))
		self.assertProblem("手机验证码：错误次数过多，请重新获取", register, **self.form(mobile, wrong))
		self.assertProblem(
			"手机验证码：验证码已失效或未获取，请重新获取", register, **self.form(mobile, code)
		)

	def test_code_is_single_use(self):
		mobile = new_mobile()
		code = send_code(mobile)
		register(**self.form(mobile, code))
		self.assertProblem(
			"手机验证码：验证码已失效或未获取，请重新获取", codes.check_code, mobile, "register", code
		)

	def test_code_expires(self):
		mobile = new_mobile()
		code = send_code(mobile)
		frappe.cache.delete(frappe.cache.make_key(f"gz_sms_code:register:{mobile}"))  # what expiry does
		self.assertProblem(
			"手机验证码：验证码已失效或未获取，请重新获取", register, **self.form(mobile, code)
		)
		self.assertEqual(frappe.cache.ttl(frappe.cache.make_key(f"gz_sms_code:register:{mobile}")), -2)

	def test_code_lives_five_minutes(self):
		mobile = new_mobile()
		send_code(mobile)
		ttl = frappe.cache.ttl(frappe.cache.make_key(f"gz_sms_code:register:{mobile}"))
		self.assertTrue(290 <= ttl <= 300, ttl)

	def test_code_of_one_purpose_does_not_serve_another(self):
		mobile = new_mobile()
		code = send_code(mobile, "register")
		self.assertProblem(
			"手机验证码：验证码已失效或未获取，请重新获取", codes.check_code, mobile, "reset_password", code
		)


class TestSmsLimits(AccountsTestCase):
	def test_resend_cooldown(self):
		mobile = new_mobile()
		send_code(mobile)
		with self.assertRaises(AccountError) as raised:
			send_code(mobile)
		self.assertRegex(str(raised.exception), r"^手机验证码：请\d+秒后再获取$")

	def test_daily_cap_per_mobile(self):
		use_capture_provider(per_mobile_per_day=2)
		mobile = new_mobile()
		for _ in range(2):
			send_code(mobile)
			frappe.cache.delete(frappe.cache.make_key(f"gz_sms_cooldown:{mobile}"))
		self.assertProblem("手机验证码：该手机号码今日获取验证码次数已达上限", send_code, mobile)

	def test_cap_per_ip_per_minute(self):
		use_capture_provider(per_ip_per_minute=3)
		ip = "203.0.113.7"
		frappe.cache.delete(frappe.cache.make_key(f"gz_sms_ip_min:{ip}"))
		for _ in range(3):
			send_code(new_mobile(), ip=ip)
		self.assertProblem("手机验证码：您所在网络请求过于频繁，请稍后再试", send_code, new_mobile(), ip=ip)

	def test_many_enterprises_behind_one_address_all_get_codes(self):
		ip = "198.51.100.20"
		frappe.cache.delete(frappe.cache.make_key(f"gz_sms_ip_min:{ip}"))
		mobiles = [new_mobile() for _ in range(25)]
		for mobile in mobiles:
			send_code(mobile, ip=ip)
		self.assertEqual(frappe.db.count("GZ SMS Log", {"mobile": ["in", mobiles]}), 25)

	def test_every_send_is_logged_and_real_providers_get_a_masked_copy(self):
		mobile = new_mobile()
		code = send_code(mobile)
		log = frappe.get_last_doc("GZ SMS Log", filters={"mobile": mobile})
		self.assertEqual(log.status, "Captured")
		self.assertIn(code, log.message)
		self.assertEqual(log.message, f"您的验证码为{code}，5分钟内有效，请勿泄露给他人。")

		from gz_innovation.accounts import sms

		self.assertEqual(sms.masked({"code": code, "minutes": 5}), {"code": "******", "minutes": 5})

	def test_a_failing_provider_logs_the_failure_without_the_code(self):
		settings = frappe.get_single("GZ SMS Settings")
		settings.provider = "Frappe SMS Settings"  # no gateway URL configured on the test site
		settings.save()
		mobile = new_mobile()
		from gz_innovation.accounts.sms import SMSSendError

		with self.assertRaises(SMSSendError):
			codes.request_code(mobile, "register", "127.0.0.1")
		log = frappe.get_last_doc("GZ SMS Log", filters={"mobile": mobile})
		self.assertEqual(log.status, "Failed")
		self.assertIn("******", log.message)
		self.assertNotRegex(log.message, r"\d{6}")


class TestCaptcha(AccountsTestCase):
	def test_image_is_a_png(self):
		import base64

		image = captcha.new_captcha()["image"]
		self.assertTrue(image.startswith("data:image/png;base64,"))
		self.assertEqual(base64.b64decode(image.split(",", 1)[1])[:8], b"\x89PNG\r\n\x1a\n")

	def test_right_answer_passes_once_case_insensitively(self):
		token = captcha.new_captcha()["token"]
		answer = captcha.answer_in_test_mode(token)
		self.assertTrue(captcha.check_captcha(token, answer.lower()))
		self.assertFalse(captcha.check_captcha(token, answer))

	def test_a_wrong_answer_uses_the_captcha_up(self):
		token = captcha.new_captcha()["token"]
		answer = captcha.answer_in_test_mode(token)
		self.assertFalse(captcha.check_captcha(token, "ZZZZ" if answer != "ZZZZ" else "YYYY"))
		self.assertFalse(captcha.check_captcha(token, answer))

	def test_unknown_token_fails(self):
		self.assertFalse(captcha.check_captcha("no-such-token", "ABCD"))
		self.assertFalse(captcha.check_captcha(None, None))
