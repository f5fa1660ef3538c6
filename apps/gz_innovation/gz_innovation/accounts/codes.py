"""SMS verification codes: 6 digits, expiring, single use, a bounded number of wrong tries,
sends capped per mobile number and per IP (per minute and per day).

Only a hash of the code is kept (Redis, site-scoped). Limits come from GZ SMS Settings.
"""

import hashlib
import secrets

import frappe
from frappe.utils import nowdate

from gz_innovation.accounts import sms
from gz_innovation.accounts.messages import raise_problem
from gz_innovation.accounts.rules import mobile_problem, sms_code_problem

PURPOSES = ("register", "reset_password")
TEMPLATE = "verification_code"


def _code_key(purpose: str, mobile: str) -> str:
	return f"gz_sms_code:{purpose}:{mobile}"


def _digest(mobile: str, code: str) -> str:
	return hashlib.sha256(f"{mobile}:{code}".encode()).hexdigest()


def _bump(key: str, window_seconds: int) -> int:
	"""Increment a site-scoped counter that expires `window_seconds` after its first hit."""
	full_key = frappe.cache.make_key(key)
	count = frappe.cache.incr(full_key)
	if count == 1:
		frappe.cache.expire(full_key, window_seconds)
	return count


def request_code(mobile: str, purpose: str, request_ip: str | None) -> dict:
	"""Send a new code for `purpose` to `mobile`. Returns {"cooldown": seconds until the next send}."""
	if purpose not in PURPOSES:
		frappe.throw(frappe._("Unknown purpose"))
	if problem := mobile_problem(mobile):
		raise_problem(problem)
	settings = sms.get_settings()
	cooldown = settings.resend_cooldown_seconds or 60
	cooldown_key = frappe.cache.make_key(f"gz_sms_cooldown:{mobile}")
	if not frappe.cache.set(cooldown_key, 1, ex=cooldown, nx=True):
		wait = max(frappe.cache.ttl(cooldown_key), 1)
		raise_problem("sms_cooldown", wait)
	today = nowdate()
	if _bump(f"gz_sms_day:{today}:{mobile}", 86400) > (settings.per_mobile_per_day or 10):
		raise_problem("sms_mobile_daily_limit")
	ip = request_ip or "unknown"
	if _bump(f"gz_sms_ip_min:{ip}", 60) > (settings.per_ip_per_minute or 30) or _bump(
		f"gz_sms_ip_day:{today}:{ip}", 86400
	) > (settings.per_ip_per_day or 2000):
		raise_problem("sms_ip_limit")

	code = f"{secrets.randbelow(10**6):06d}"
	ttl_minutes = settings.code_ttl_minutes or 5
	frappe.cache.set_value(
		_code_key(purpose, mobile),
		{"hash": _digest(mobile, code), "tries": 0},
		expires_in_sec=ttl_minutes * 60,
	)
	sms.send_sms(mobile, TEMPLATE, {"code": code, "minutes": ttl_minutes}, request_ip=request_ip)
	return {"cooldown": cooldown}


def check_code(mobile: str, purpose: str, code: str | None) -> None:
	"""Raise the matching problem unless `code` is the live code of `mobile` for `purpose`.

	A wrong code uses up one try; the code itself stays valid (single use is `consume_code`).
	"""
	if problem := sms_code_problem(code):
		raise_problem(problem)
	key = _code_key(purpose, mobile)
	stored = frappe.cache.get_value(key)
	if not stored:
		raise_problem("sms_code_expired")
	if secrets.compare_digest(stored["hash"], _digest(mobile, code)):
		return
	stored["tries"] += 1
	max_tries = sms.get_settings().max_wrong_tries or 5
	if stored["tries"] >= max_tries:
		frappe.cache.delete_value(key)
		raise_problem("sms_code_exhausted")
	remaining = frappe.cache.ttl(frappe.cache.make_key(key))
	if remaining and remaining > 0:
		frappe.cache.set_value(key, stored, expires_in_sec=remaining)
	raise_problem("sms_code_invalid")


def consume_code(mobile: str, purpose: str) -> None:
	frappe.cache.delete_value(_code_key(purpose, mobile))
