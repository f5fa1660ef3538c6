"""Account rules of the manual (§2.1.1), in one place. Pure Python, no Frappe.

Each check returns None when the value is acceptable, else a problem code that
`gz_innovation.accounts.messages` turns into the Chinese message naming the field.
"""

import re

MOBILE_PATTERN = re.compile(r"^1[3-9]\d{9}$")
# 2–30 characters: Chinese (CJK unified ideographs), ASCII letters, digits, underscore.
USERNAME_PATTERN = re.compile(r"^[\u4e00-\u9fa5A-Za-z0-9_]{2,30}$")
PASSWORD_SPECIALS = "!@#$%^&*~"
PASSWORD_MIN, PASSWORD_MAX = 8, 19
PASSWORD_CLASSES = (
	re.compile(r"[0-9]"),
	re.compile(r"[a-z]"),
	re.compile(r"[A-Z]"),
	re.compile("[" + re.escape(PASSWORD_SPECIALS) + "]"),
)
PASSWORD_ALLOWED = re.compile(r"^[0-9a-zA-Z" + re.escape(PASSWORD_SPECIALS) + r"]*$")
SMS_CODE_PATTERN = re.compile(r"^\d{6}$")


def mobile_problem(mobile: str | None) -> str | None:
	if not mobile:
		return "mobile_missing"
	if not MOBILE_PATTERN.match(mobile):
		return "mobile_invalid"
	return None


def username_problem(username: str | None) -> str | None:
	if not username:
		return "username_missing"
	if not USERNAME_PATTERN.match(username):
		return "username_invalid"
	if MOBILE_PATTERN.match(username):
		# A username that looks like a mobile number would make login by identifier ambiguous.
		return "username_is_mobile"
	return None


def password_problem(password: str | None) -> str | None:
	if not password:
		return "password_missing"
	if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
		return "password_length"
	if not PASSWORD_ALLOWED.match(password):
		return "password_characters"
	if sum(1 for pattern in PASSWORD_CLASSES if pattern.search(password)) < 2:
		return "password_classes"
	return None


def sms_code_problem(code: str | None) -> str | None:
	if not code:
		return "sms_code_missing"
	if not SMS_CODE_PATTERN.match(code):
		return "sms_code_invalid"
	return None
