"""Password reset by mobile + image captcha + SMS code, and the forced change of a default
password at first login (accounts created or reset by an enterprise admin)."""

import frappe
from frappe import _
from frappe.utils.password import check_password, update_password

from gz_innovation.accounts import codes
from gz_innovation.accounts.messages import raise_problem
from gz_innovation.accounts.registration import validate_new_password
from gz_innovation.accounts.rules import mobile_problem, password_problem

MUST_CHANGE_FIELD = "gz_must_change_password"
CHANGE_PASSWORD_PATH = "/change-password"
# Pages a user who must change the password may still open (calls: boundary/policy.py).
PAGES_WHILE_FORCED = (CHANGE_PASSWORD_PATH, "/logout")


def reset_password(mobile: str, sms_code: str, password: str, confirm_password: str) -> str:
	"""Set a new password for the account of `mobile`. Returns the user."""
	mobile = (mobile or "").strip()
	if problem := mobile_problem(mobile):
		raise_problem(problem)
	user = frappe.db.get_value("User", {"mobile_no": mobile, "enabled": 1}, "name")
	validate_new_password(password, confirm_password)
	# The code was only sent when the mobile belongs to an account; an unknown number fails here
	# with the same message as a wrong code.
	codes.check_code(mobile, "reset_password", sms_code)
	if not user:
		raise_problem("sms_code_invalid")
	set_password(user, password, must_change=False)
	codes.claim_code(mobile, "reset_password")  # single use, even for parallel requests
	return user


def set_password(user: str, password: str, must_change: bool) -> None:
	"""The one place passwords are written: Frappe's store, the forced-change flag, other sessions."""
	update_password(user, password, logout_all_sessions=True)
	frappe.db.set_value("User", user, MUST_CHANGE_FIELD, 1 if must_change else 0, update_modified=False)
	for method in frappe.get_hooks("gz_on_password_set"):  # e.g. a legacy hash never works once replaced
		frappe.get_attr(method)(user)


def set_default_password(user: str, password: str) -> None:
	"""An admin gave the account a default password: it must be changed at the next login."""
	set_password(user, password, must_change=True)


def change_password(old_password: str, new_password: str, confirm_password: str) -> None:
	"""The logged-in user changes the password (forced at first login, or by choice)."""
	user = frappe.session.user
	if user == "Guest":
		raise frappe.PermissionError
	try:
		check_password(user, old_password or "", delete_tracker_cache=False)
	except frappe.AuthenticationError:
		frappe.local.response["gz_field"] = "old_password"
		frappe.throw(_("Current password: the password is wrong"), frappe.ValidationError)
	validate_new_password(new_password, confirm_password)
	if new_password == old_password:
		raise_problem("password_same_as_old")
	# The user's other sessions end (a stolen session does not outlive the change); this one stays.
	update_password(user, new_password, logout_all_sessions=True)
	frappe.db.set_value("User", user, MUST_CHANGE_FIELD, 0, update_modified=False)


def must_change_password_of(user: str | None) -> bool:
	if not user or user in ("Guest", "Administrator"):
		return False
	return bool(frappe.db.get_value("User", user, MUST_CHANGE_FIELD))


def must_change_password() -> bool:
	return must_change_password_of(frappe.session.user)


def redirect_to_password_change(context) -> None:
	"""update_website_context hook: every page except the change page sends the user there (every
	other request waits for the new password: boundary/requests.py)."""
	request = getattr(frappe.local, "request", None)
	if not request or request.path in PAGES_WHILE_FORCED or not must_change_password():
		return
	frappe.flags.redirect_location = CHANGE_PASSWORD_PATH
	raise frappe.Redirect


def validate_password_rule(password: str) -> None:
	"""The manual's password rule, for every way a password is set outside our own forms."""
	if problem := password_problem(password):
		raise_problem(problem)


def validate_user_password(doc, method=None) -> None:
	"""User.before_validate hook (Frappe clears new_password in validate): a password typed in Desk (User → new password) follows the same rule."""
	if doc.get("new_password"):
		validate_password_rule(doc.new_password)
