"""/verify/<code>: the public check of a 申报书's verification code (cultivation/application.py) and
of a 认定证书's (recognition/certificates.py: valid, expired or revoked).

Guests may open it: it answers only whether an application with this code exists, unchanged and
submitted, and then shows the enterprise's name, the type, the batch, the submission time and the
result — no person's data. Each address may check a limited number of codes per window, so codes
cannot be guessed by brute force (they are 96-bit keyed hashes as well)."""

import frappe
from frappe import _

from gz_innovation.cultivation import application
from gz_innovation.portal import context as portal
from gz_innovation.recognition import certificates

no_cache = 1
sitemap = 0
CHECKS_PER_WINDOW = 30
WINDOW_SECONDS = 600


def get_context(context):
	portal.guest_page(context, _("Verify an application"), "verify")
	context.code = (frappe.form_dict.get("code") or "").strip()[:64]
	if over_limit():
		context.http_status_code = 429
		context.limited = True
		return context
	context.result = application.verify(context.code)
	context.certificate = None if context.result else certificates.verify(context.code)
	if context.result is None and context.certificate is None:
		context.http_status_code = 404
	return context


def over_limit() -> bool:
	ip = getattr(frappe.local, "request_ip", None) or "-"
	key = frappe.cache.make_key(f"gz_verify:{ip}")
	count = frappe.cache.incrby(key, 1)
	if count == 1:
		frappe.cache.expire(key, WINDOW_SECONDS)
	return count > CHECKS_PER_WINDOW
