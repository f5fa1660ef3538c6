"""SMS verification codes: 6 digits, expiring, single use, a bounded number of wrong tries,
sends capped per mobile number and per IP (per minute and per day).

Only a hash of the code is kept (Redis, site-scoped). Every counter moves atomically (INCR), and a
code is used up by whoever deletes it first (`claim_code`), so parallel requests can neither try more
often than allowed nor use one code twice. Limits come from GZ SMS Settings.
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
# Sent instead of a code when someone asks to register a number that already has an account: the
# owner learns it, the asker's screen shows the same as for any other number.
REGISTERED_NOTICE = "mobile_registered"


def _code_keys(purpose: str, mobile: str) -> tuple:
	"""Redis keys (site-scoped) of a code's hash and of its wrong-try counter."""
	base = f"gz_sms_code:{purpose}:{mobile}"
	return frappe.cache.make_key(base), frappe.cache.make_key(base + ":tries")


def _digest(mobile: str, code: str) -> str:
	return hashlib.sha256(f"{mobile}:{code}".encode()).hexdigest()


def _bump(key: str, window_seconds: int) -> int:
	"""Increment a site-scoped counter that expires `window_seconds` after its first hit."""
	full_key = frappe.cache.make_key(key)
	count = frappe.cache.incr(full_key)
	if count == 1:
		frappe.cache.expire(full_key, window_seconds)
	return count


def request_code(mobile: str, purpose: str, request_ip: str | None, deliver: str = "code") -> dict:
	"""Send a new code for `purpose` to `mobile`. Returns {"cooldown": seconds until the next send}.

	`deliver` is "code", "notice" (the number is registered already: tell its owner, no code) or
	"nothing" (no account to reset: no message). The limits apply alike, so the answer and its timing
	tell nothing about whether an account exists."""
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

	if deliver == "code":
		code = f"{secrets.randbelow(10**6):06d}"
		ttl_minutes = settings.code_ttl_minutes or 5
		key, tries_key = _code_keys(purpose, mobile)
		pipe = frappe.cache.pipeline()
		pipe.set(key, _digest(mobile, code), ex=ttl_minutes * 60)
		pipe.delete(tries_key)
		pipe.execute()
		sms.send_sms(mobile, TEMPLATE, {"code": code, "minutes": ttl_minutes}, request_ip=request_ip)
	elif deliver == "notice":
		sms.send_sms(mobile, REGISTERED_NOTICE, {}, request_ip=request_ip)
	return {"cooldown": cooldown}


def check_code(mobile: str, purpose: str, code: str | None) -> None:
	"""Raise the matching problem unless `code` is the live code of `mobile` for `purpose`.

	Every wrong try is counted atomically; the code stays valid until `claim_code` uses it up."""
	if problem := sms_code_problem(code):
		raise_problem(problem)
	key, tries_key = _code_keys(purpose, mobile)
	stored = frappe.cache.get(key)
	if not stored:
		raise_problem("sms_code_expired")
	if secrets.compare_digest(stored.decode(), _digest(mobile, code)):
		return
	tries = frappe.cache.incr(tries_key)
	if tries == 1:
		frappe.cache.expire(tries_key, max(frappe.cache.ttl(key), 1))
	if tries >= (sms.get_settings().max_wrong_tries or 5):
		frappe.cache.delete(key, tries_key)
		raise_problem("sms_code_exhausted")
	raise_problem("sms_code_invalid")


def claim_code(mobile: str, purpose: str) -> None:
	"""Use the code up; only one request can (DELETE is atomic). Call it after the account work and
	before the commit: a request that loses the race fails and its transaction is rolled back."""
	key, tries_key = _code_keys(purpose, mobile)
	if not frappe.cache.delete(key):
		raise_problem("sms_code_expired")
	frappe.cache.delete(tries_key)
