"""Login with one identifier (mobile number, username or an enterprise's 统一社会信用代码),
password and image captcha; lock-out per account and per network address.

The captcha guards every password check, not sessions. Frappe's own `/api/method/login` checks
passwords before any app hook could ask for a captcha, so it is switched off (System Settings →
disable_user_pass_login, set by the app's set-up): it answers at once, never checks a password and
never touches the lock-out counters. Sessions opened another legitimate way (Frappe's Social Login
with a province identity provider, LDAP, API keys, `login_as` in tests) keep working.
"""

import frappe
from frappe import _
from frappe.auth import LoginAttemptTracker
from frappe.core.doctype.activity_log.activity_log import add_authentication_log
from frappe.utils import cint
from frappe.utils.password import check_password

from gz_innovation.accounts.captcha import check_captcha
from gz_innovation.accounts.messages import LoginError, raise_problem
from gz_innovation.accounts.rules import MOBILE_PATTERN

# Many enterprises reach us from one government network address: the per-address lock only
# stops mass guessing, far above what honest users behind one address produce.
IP_MAX_FAILURES = 200
IP_WINDOW_SECONDS = 600
DEFAULT_MAX_FAILURES = 5
DEFAULT_LOCK_SECONDS = 600


def resolve_identifier(identifier: str) -> str | None:
	"""The User name an identifier stands for, or None: a mobile number, an identifier a module above
	resolves (hook `gz_login_identifier`: an enterprise's 统一社会信用代码 → its admin), a username
	(case-insensitively) or the user's name (e-mail)."""
	identifier = (identifier or "").strip()
	if not identifier:
		return None
	if MOBILE_PATTERN.match(identifier):
		return frappe.db.get_value("User", {"mobile_no": identifier}, "name")
	for method in frappe.get_hooks("gz_login_identifier"):
		if user := frappe.get_attr(method)(identifier):
			return user
	rows = frappe.db.sql(
		"select name from `tabUser` where username = %(id)s or name = %(id)s order by username = %(id)s desc limit 1",
		{"id": identifier},
	)
	return rows[0][0] if rows else None


def lock_settings() -> tuple[int, int]:
	settings = frappe.get_cached_doc("System Settings")
	return (
		cint(settings.allow_consecutive_login_attempts) or DEFAULT_MAX_FAILURES,
		cint(settings.allow_login_after_fail) or DEFAULT_LOCK_SECONDS,
	)


def account_tracker(user: str | None, identifier: str) -> LoginAttemptTracker:
	"""Frappe's tracker, keyed by the account (or by the identifier when no account matches, so an
	unknown identifier locks exactly like a known one and reveals nothing)."""
	max_failures, lock_seconds = lock_settings()
	key = user or f"gz-unknown:{identifier.strip().lower()}"
	return LoginAttemptTracker(key, max_consecutive_login_attempts=max_failures, lock_interval=lock_seconds)


def is_locked(tracker: LoginAttemptTracker) -> bool:
	# Locked once the failures reach the limit within the lock interval.
	first_failure = tracker.login_failed_time
	return bool(
		first_failure
		and first_failure + tracker.lock_interval > frappe.utils.get_datetime()
		and (tracker.login_failed_count or 0) >= tracker.max_failed_logins
	)


def _ip_key(ip: str) -> str:
	return frappe.cache.make_key(f"gz_login_ip_failures:{ip}")


def ip_is_locked(ip: str) -> bool:
	return cint(frappe.cache.get(_ip_key(ip))) >= IP_MAX_FAILURES


def add_ip_failure(ip: str) -> None:
	key = _ip_key(ip)
	if frappe.cache.incr(key) == 1:
		frappe.cache.expire(key, IP_WINDOW_SECONDS)


def login(identifier: str, password: str, captcha_token: str, captcha_answer: str) -> str:
	"""Log the session in; returns the user. Raises AccountError (captcha) or LoginError."""
	if not captcha_answer:
		raise_problem("captcha_missing")
	if not check_captcha(captcha_token, captcha_answer):
		raise_problem("captcha_invalid")
	ip = frappe.local.request_ip or "unknown"
	if ip_is_locked(ip):
		frappe.throw(_("Too many failed logins from your network, please try again later"), LoginError)
	user = resolve_identifier(identifier)
	tracker = account_tracker(user, identifier or "")
	if is_locked(tracker):
		minutes = max(1, tracker.lock_interval.seconds // 60)
		frappe.throw(
			_("Too many failed logins: the account is locked, try again in {0} minutes").format(minutes),
			LoginError,
		)
	# A disabled account is refused before its password is checked: a legacy hash must not move.
	if not (user and password and _enabled(user) and _password_matches(user, password)):
		tracker.add_failure_attempt()
		add_ip_failure(ip)
		add_authentication_log(_("Wrong account or password"), user or identifier or "", status="Failed")
		frappe.db.commit()  # nosemgrep: the failure must be recorded although the request fails
		frappe.throw(_("Wrong account or password"), LoginError)
	tracker.add_success_attempt()
	start_session(user)
	return user


def start_session(user: str) -> None:
	"""Open the user's session, with its CSRF token from the start: Frappe makes one only when Desk
	loads, and a portal session had none (boundary/requests.py)."""
	frappe.local.login_manager.login_as(user)
	frappe.sessions.get_csrf_token()


def _password_matches(user: str, password: str) -> bool:
	try:
		check_password(user, password, delete_tracker_cache=False)
		return True
	except frappe.AuthenticationError:
		# Another way in a module above knows (hook `gz_password_fallback`: a user of the previous
		# platform logs in with their old password once, manual §1.7).
		return any(
			frappe.get_attr(method)(user, password) for method in frappe.get_hooks("gz_password_fallback")
		)


def _enabled(user: str) -> bool:
	return user == "Administrator" or bool(frappe.db.get_value("User", user, "enabled"))
