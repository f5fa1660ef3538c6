"""Registration of a personal user (个人用户), manual §2.1.1.

Fields are checked in the order of the form. Whether the mobile number or the username is taken is
told only after the SMS code has proved the mobile number: before that, every number gets the same
answer (a number with an account gets a notice instead of a code, see api.send_sms_code). The code is
used up once the account exists, atomically, so one code makes one account; a failed registration
leaves no user and keeps a valid code valid.
"""

import frappe
from frappe.utils.password import update_password

from gz_innovation.accounts import codes
from gz_innovation.accounts.messages import raise_problem
from gz_innovation.accounts.rules import mobile_problem, password_problem, username_problem

PERSONAL_USER_ROLE = "GZ Personal User"
FULL_NAME_MAX = 30
# Accounts registered by mobile number get a placeholder address that can never receive mail.
PLACEHOLDER_EMAIL_DOMAIN = "mobile.gz-innovation.invalid"


def placeholder_email(mobile: str) -> str:
	return f"{mobile}@{PLACEHOLDER_EMAIL_DOMAIN}"


def mobile_is_taken(mobile: str) -> bool:
	return bool(
		frappe.db.exists("User", {"mobile_no": mobile}) or frappe.db.exists("User", placeholder_email(mobile))
	)


def validate_mobile_is_free(mobile: str) -> None:
	if problem := mobile_problem(mobile):
		raise_problem(problem)
	if mobile_is_taken(mobile):
		raise_problem("mobile_taken")


def validate_username_is_free(username: str) -> None:
	if problem := username_problem(username):
		raise_problem(problem)
	# The site's collation (utf8mb4_unicode_ci) compares case-insensitively.
	if frappe.db.exists("User", {"username": username}):
		raise_problem("username_taken")


def validate_new_password(password: str, confirm_password: str) -> None:
	if problem := password_problem(password):
		raise_problem(problem)
	if password != confirm_password:
		raise_problem("confirm_mismatch")


def register(
	mobile: str,
	sms_code: str,
	username: str,
	full_name: str,
	password: str,
	confirm_password: str,
	consent: bool,
) -> str:
	"""Create the personal user and return its name. Raises AccountError naming the field."""
	mobile, username, full_name = (mobile or "").strip(), (username or "").strip(), (full_name or "").strip()
	if problem := mobile_problem(mobile):
		raise_problem(problem)
	if problem := username_problem(username):
		raise_problem(problem)
	if not full_name:
		raise_problem("full_name_missing")
	if len(full_name) > FULL_NAME_MAX:
		raise_problem("full_name_invalid")
	validate_new_password(password, confirm_password)
	if not consent:
		raise_problem("consent_missing")
	codes.check_code(mobile, "register", sms_code)
	# The code proved the number: from here on, telling what is taken reveals nothing.
	validate_mobile_is_free(mobile)
	validate_username_is_free(username)

	user = create_portal_user(mobile, username, full_name)
	update_password(user, password)
	codes.claim_code(mobile, "register")  # a parallel request with the same code loses here
	return user


def create_portal_user(mobile: str, username: str, full_name: str) -> str:
	"""A personal (portal) user identified by mobile and username; the caller sets the password."""
	user = frappe.get_doc(
		{
			"doctype": "User",
			"email": placeholder_email(mobile),
			"first_name": full_name,
			"username": username,
			"mobile_no": mobile,
			"user_type": "Website User",
			"send_welcome_email": 0,
			"language": frappe.conf.get("lang") or "zh",
			"roles": [{"role": PERSONAL_USER_ROLE}],
		}
	)
	user.flags.ignore_permissions = True
	user.flags.no_welcome_mail = True
	user.insert()
	return user.name
