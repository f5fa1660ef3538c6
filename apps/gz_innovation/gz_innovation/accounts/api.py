"""Portal endpoints of the accounts module. Guest endpoints are rate-limited per address with room
for many enterprises behind one government network address; the per-account limits (SMS sends,
login lock-out) live in codes.py and login.py."""

import posixpath
from urllib.parse import unquote, urlparse

import frappe
from frappe import _
from frappe.rate_limiter import rate_limit

from gz_innovation.accounts import captcha, codes, registration
from gz_innovation.accounts import login as login_flow
from gz_innovation.accounts import password as passwords
from gz_innovation.accounts.messages import raise_problem
from gz_innovation.accounts.rules import mobile_problem
from gz_innovation.transactions import retry_on_deadlock

ACCOUNT_CENTER = "/account-center"


# Guest: a captcha image is what stands in front of every other guest endpoint.
@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=600, seconds=60)
def get_captcha() -> dict:
	return captcha.new_captcha()


# Guest: needs a solved captcha; sends are capped per mobile number and per address in codes.py.
# The answer is the same whether or not the number has an account: a registered number gets a notice
# instead of a code, an unknown number asking for a reset gets nothing; the limits count alike.
@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=300, seconds=60)
def send_sms_code(mobile: str, purpose: str, captcha_token: str, captcha_answer: str) -> dict:
	mobile = (mobile or "").strip()
	if problem := mobile_problem(mobile):
		raise_problem(problem)
	if not captcha_answer:
		raise_problem("captcha_missing")
	if not captcha.check_captcha(captcha_token, captcha_answer):
		raise_problem("captcha_invalid")
	has_account = registration.mobile_is_taken(mobile)
	if purpose == "register":
		deliver = "notice" if has_account else "code"
	elif purpose == "reset_password":
		deliver = "code" if frappe.db.exists("User", {"mobile_no": mobile, "enabled": 1}) else "nothing"
	else:
		deliver = "code"
	return codes.request_code(mobile, purpose, frappe.local.request_ip, deliver=deliver)


# Guest: every field is checked on the server; the SMS code proves the mobile number.
@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=300, seconds=60)
def register(
	mobile: str,
	sms_code: str,
	username: str,
	full_name: str,
	password: str,
	confirm_password: str,
	consent: int | bool | str = 0,
) -> dict:
	# Concurrent registrations may deadlock on Frappe's password table (__Auth): done again.
	user = retry_on_deadlock(
		registration.register,
		mobile,
		sms_code,
		username,
		full_name,
		password,
		confirm_password,
		consent=frappe.utils.cint(consent) == 1,
	)
	login_flow.start_session(user)
	return {
		"redirect": ACCOUNT_CENTER,
		"message": _("Registration succeeded"),
		"csrf_token": frappe.sessions.get_csrf_token(),
	}


# Guest: captcha, lock-out per account and per address in login.py.
@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=600, seconds=60)
def login(
	identifier: str,
	password: str,
	captcha_token: str,
	captcha_answer: str,
	redirect_to: str | None = None,
) -> dict:
	"""Where to go next (the login page's `redirect-to` where allowed), and the new session's CSRF
	token (a script that calls the API next sends it; pages print it)."""
	user = login_flow.login(identifier, password, captcha_token, captcha_answer)
	return {"redirect": after_login(user, redirect_to), "csrf_token": frappe.sessions.get_csrf_token()}


def after_login(user: str, wanted: str | None = None) -> str:
	must_change, user_type = frappe.db.get_value("User", user, [passwords.MUST_CHANGE_FIELD, "user_type"])
	if must_change and user != "Administrator":
		return passwords.CHANGE_PASSWORD_PATH
	# A module above may send the user somewhere first (a legacy admin reviews the imported data).
	for method in frappe.get_hooks("gz_login_redirect"):
		if path := frappe.get_attr(method)(user):
			return path
	return allowed_redirect(wanted, user_type) or home_of(user_type)


def home_of(user_type: str) -> str:
	return "/app" if user_type == "System User" else ACCOUNT_CENTER


def allowed_redirect(path: str | None, user_type: str) -> str | None:
	"""`path` (a page's `redirect-to`) where a user who just logged in may be sent, or None: a path
	of this site only (never `//host`, a scheme or a backslash), never the login page again, and for
	portal users never Desk or the API."""
	path = (path or "").strip()
	if not path.startswith("/") or path.startswith("//") or any(c in path for c in "\\\r\n\t"):
		return None
	parsed = urlparse(path)
	if parsed.scheme or parsed.netloc:
		return None
	# The page the browser will ask for: decoded and normalised (/./app, /x/../app, /%61pp are /app).
	decoded = unquote(parsed.path)
	page = posixpath.normpath(decoded)
	if decoded.startswith("//") or page.rstrip("/") in ("/login", "", "/."):
		return None
	if user_type != "System User" and page.split("/")[1] in ("app", "api", "desk"):
		return None
	return path


# Guest: the SMS code sent to the account's mobile proves ownership.
@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=300, seconds=60)
def reset_password(mobile: str, sms_code: str, password: str, confirm_password: str) -> dict:
	passwords.reset_password(mobile, sms_code, password, confirm_password)
	return {"redirect": "/login", "message": _("Password changed, please log in with the new password")}


@frappe.whitelist(methods=["POST"])
def change_password(old_password: str, new_password: str, confirm_password: str) -> dict:
	passwords.change_password(old_password, new_password, confirm_password)
	return {"redirect": ACCOUNT_CENTER, "message": _("Password changed")}


def _only_in_test_mode() -> None:
	if not frappe.conf.get("allow_tests"):
		raise frappe.PageDoesNotExistError


# Test mode only (site config allow_tests): lets browser tests read the captcha answer.
@frappe.whitelist(allow_guest=True, methods=["POST"])
def test_captcha_answer(token: str) -> str | None:
	_only_in_test_mode()
	return captcha.answer_in_test_mode(token)


# Test mode only: the last message the capture provider stored for a mobile number.
@frappe.whitelist(allow_guest=True, methods=["POST"])
def test_last_sms(mobile: str) -> str | None:
	_only_in_test_mode()
	rows = frappe.get_all(
		"GZ SMS Log",
		filters={"mobile": mobile, "status": "Captured"},
		fields=["message"],
		order_by="creation desc",
		limit=1,
	)
	return rows[0].message if rows else None
