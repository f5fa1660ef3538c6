"""Factories shared by the accounts tests: real captchas, real codes from the capture provider."""

import re
import secrets

import frappe
from frappe.utils.password import update_password

from gz_innovation.accounts import captcha, codes
from gz_innovation.accounts.password import MUST_CHANGE_FIELD

PASSWORD = "Passw0rd!"


# Frappe's test runner seeds `random`: names built from it repeat between runs, so use secrets.
def new_mobile() -> str:
	return "139" + "".join(secrets.choice("0123456789") for _ in range(8))


def new_username() -> str:
	return "t_" + secrets.token_hex(5)


def solved_captcha() -> tuple[str, str]:
	"""A fresh captcha and its answer (readable on a site in test mode only)."""
	token = captcha.new_captcha()["token"]
	return token, captcha.answer_in_test_mode(token)


def use_capture_provider(**limits) -> None:
	settings = frappe.get_single("GZ SMS Settings")
	settings.provider = "Capture"
	settings.update(
		{
			"resend_cooldown_seconds": 60,
			"per_mobile_per_day": 10,
			"per_ip_per_minute": 30,
			"per_ip_per_day": 2000,
			"max_wrong_tries": 5,
			"code_ttl_minutes": 5,
			**limits,
		}
	)
	settings.save(ignore_permissions=True)


def last_code(mobile: str) -> str:
	message = frappe.get_all(
		"GZ SMS Log", filters={"mobile": mobile}, fields=["message"], order_by="creation desc", limit=1
	)[0].message
	return re.search(r"\d{6}", message).group(0)


def send_code(mobile: str, purpose: str = "register", ip: str = "127.0.0.1") -> str:
	codes.request_code(mobile, purpose, ip)
	return last_code(mobile)


def clear_send_limits(mobile: str, ip: str = "127.0.0.1") -> None:
	for key in (
		f"gz_sms_cooldown:{mobile}",
		f"gz_sms_day:{frappe.utils.nowdate()}:{mobile}",
		f"gz_sms_ip_min:{ip}",
	):
		frappe.cache.delete(frappe.cache.make_key(key))


def create_user(mobile=None, username=None, password=PASSWORD, must_change=False, enabled=1) -> str:
	"""A personal user with a known password; committed, so HTTP requests see it."""
	from gz_innovation.accounts.registration import PERSONAL_USER_ROLE, placeholder_email

	mobile = mobile or new_mobile()
	user = frappe.get_doc(
		{
			"doctype": "User",
			"email": placeholder_email(mobile),
			"first_name": "测试用户",
			"username": username or new_username(),
			"mobile_no": mobile,
			"user_type": "Website User",
			"send_welcome_email": 0,
			"enabled": enabled,
			"roles": [{"role": PERSONAL_USER_ROLE}],
		}
	)
	user.flags.no_welcome_mail = True
	user.insert(ignore_permissions=True)
	update_password(user.name, password)
	frappe.db.set_value("User", user.name, MUST_CHANGE_FIELD, int(must_change))
	frappe.db.commit()  # nosemgrep: HTTP requests of the test run in another transaction
	return user.name


def delete_users(names) -> None:
	for name in names:
		if frappe.db.exists("User", name):
			frappe.delete_doc("User", name, force=True, ignore_permissions=True)
	frappe.db.commit()  # nosemgrep
