"""Frappe's whitelisted methods the app answers itself (hooks.py `override_whitelisted_methods`;
overrides/__init__.py registers each with why and what retires it). Each takes every argument Frappe's
does and hands the work back to Frappe's own function where there is work to do."""

import frappe
from frappe import _
from frappe.rate_limiter import rate_limit


def _password_reset_limit():
	from frappe.core.doctype.user.user import get_password_reset_limit

	return get_password_reset_limit()


# Guest: the same answer whatever is asked (Frappe's tells a Desk account, 501 when it has no e-mail
# account to send with, from an unknown address, 200), rate-limited per address like Frappe's own.
@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=_password_reset_limit, seconds=60 * 60)
def reset_password(user: str) -> None:
	"""Frappe's password reset by e-mail link, for Desk accounts with a real address only: portal
	accounts reset by SMS (/forgot-password)."""
	from gz_innovation.accounts.registration import PLACEHOLDER_EMAIL_DOMAIN

	name = frappe.db.get_value(
		"User", {"name": (user or "").strip(), "enabled": 1, "user_type": "System User"}, "name"
	)
	if name and name != "Administrator" and not name.endswith("@" + PLACEHOLDER_EMAIL_DOMAIN):
		try:
			frappe.get_doc("User", name).reset_password(send_email=True)
		except Exception as e:
			# e.g. no outgoing e-mail account: logged for the administrators, the answer stays the same.
			# The error alone: a traceback's variables would hold the reset link, which is the key.
			frappe.clear_messages()
			frappe.log_error(
				title="Password reset e-mail not sent", message=f"{name}: {type(e).__name__}: {e}"
			)
	frappe.local.response.pop("http_status_code", None)
	frappe.msgprint(
		_("If an account uses this address, password reset instructions have been sent to it"),
		title=_("Password Reset"),
	)


# Guest: a reset link's key (or, logged in, the old password) proves the account; Frappe's own
# function checks it and kills the key once used.
@frappe.whitelist(allow_guest=True, methods=["POST"])
def update_password(
	new_password: str, logout_all_sessions: int = 0, key: str | None = None, old_password: str | None = None
):
	"""Frappe's update_password (Desk's change-password dialog, reset links) with the manual's password
	rule; a changed password always ends the user's other sessions."""
	from frappe.core.doctype.user.user import update_password as frappe_update_password

	from gz_innovation.accounts.password import MUST_CHANGE_FIELD, validate_password_rule

	validate_password_rule(new_password)
	result = frappe_update_password(new_password, logout_all_sessions=1, key=key, old_password=old_password)
	user = frappe.session.user
	if frappe.local.response.get("http_status_code") != 410 and user != "Guest":
		# The user chose this password: a default one no longer needs changing.
		frappe.db.set_value("User", user, MUST_CHANGE_FIELD, 0, update_modified=False)
	return result


# Frappe's get_count counts any DocType by any filter for anyone logged in, with no permission check:
# here Frappe's own count of Desk's list view answers, which counts what the user may list.
@frappe.whitelist()
def get_count(doctype: str, filters=None, debug=False, cache=False) -> int:
	from frappe.client import get_safe_filters
	from frappe.desk.reportview import get_count as count_of_list

	frappe.local.form_dict = frappe._dict(doctype=doctype, filters=get_safe_filters(filters) or [])
	return count_of_list()


@frappe.whitelist()
def is_wkhtmltopdf_valid() -> bool:
	"""Desk's print view warns unless wkhtmltopdf is the build "with patched qt". Debian's build renders
	the 申报书 (only running page headers and footers need the patched Qt, and it has none), so the
	check asks whether a wkhtmltopdf 0.12 is installed at all."""
	from frappe.utils.pdf import get_wkhtmltopdf_version

	return get_wkhtmltopdf_version().startswith("0.12")
