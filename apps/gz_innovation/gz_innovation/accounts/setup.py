"""Idempotent set-up of the accounts module (called from setup.install)."""

import frappe
from frappe import _
from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

from gz_innovation.accounts.codes import REGISTERED_NOTICE
from gz_innovation.accounts.codes import TEMPLATE as CODE_TEMPLATE
from gz_innovation.accounts.login import DEFAULT_LOCK_SECONDS, DEFAULT_MAX_FAILURES
from gz_innovation.accounts.password import MUST_CHANGE_FIELD
from gz_innovation.accounts.registration import PERSONAL_USER_ROLE

# Frappe refuses every new user of a site once `throttle_user_limit` (default 60) were created in
# the past hour (frappe.core.doctype.user.user.throttle_user_creation). Registration here is guarded
# by the app's own limits (captcha, SMS code per mobile, sends per mobile and per address, the
# endpoints' rate limits), so the site-wide count only has to stay out of the way of a province's
# deadline day: 1,000 registrations and the staff accounts admins add in the same hour.
USER_CREATION_LIMIT_PER_HOUR = 100_000


def setup_accounts(language: str, fresh_install: bool = False) -> None:
	ensure_role(PERSONAL_USER_ROLE)
	create_custom_fields(
		{
			"User": [
				{
					"fieldname": MUST_CHANGE_FIELD,
					"fieldtype": "Check",
					"label": "Must Change Password at Next Login",
					"insert_after": "enabled",
					"description": "Set when an enterprise admin gives the account a default password.",
				}
			]
		},
		update=True,
	)
	set_login_identifiers()
	ensure_user_creation_limit()
	if fresh_install:
		set_lockout_defaults()
		hide_tracebacks()
	ensure_code_template(language)
	ensure_agreement_pages(language)


def ensure_role(role: str, desk_access: int = 0) -> None:
	"""Create the role, or correct its Desk access: Frappe creates roles that a DocType's permissions
	name before our set-up runs, and gives them Desk access, which would turn portal users into
	Desk users."""
	if not frappe.db.exists("Role", role):
		frappe.get_doc({"doctype": "Role", "role_name": role, "desk_access": desk_access}).insert(
			ignore_permissions=True
		)
	elif frappe.db.get_value("Role", role, "desk_access") != desk_access:
		frappe.db.set_value("Role", role, "desk_access", desk_access)


def ensure_user_creation_limit() -> None:
	"""Write `throttle_user_limit` into the site's configuration when it is missing. A value the
	administrator set (`bench --site <site> set-config -p throttle_user_limit N`) is kept."""
	if frappe.conf.get("throttle_user_limit") is not None:
		return
	from frappe.installer import update_site_config

	update_site_config("throttle_user_limit", USER_CREATION_LIMIT_PER_HOUR)
	frappe.local.conf.throttle_user_limit = USER_CREATION_LIMIT_PER_HOUR


def set_login_identifiers() -> None:
	"""The manual's identifiers, also for Frappe's own checks."""
	frappe.db.set_single_value("System Settings", "allow_login_using_mobile_number", 1)
	frappe.db.set_single_value("System Settings", "allow_login_using_user_name", 1)


def set_lockout_defaults() -> None:
	"""Lock an account for 10 minutes after 5 failures (等保 2.0 8.1.4.1 b). Set once; an
	administrator's later change in System Settings is kept."""
	frappe.db.set_single_value("System Settings", "allow_consecutive_login_attempts", DEFAULT_MAX_FAILURES)
	frappe.db.set_single_value("System Settings", "allow_login_after_fail", DEFAULT_LOCK_SECONDS)


def hide_tracebacks() -> None:
	"""System Settings → "Show Full Error" off: error responses carry no traceback, also for errors
	raised before the app's hooks run. System Managers get theirs anyway (boundary/requests.py)."""
	frappe.db.set_single_value("System Settings", "allow_error_traceback", 0)


def ensure_code_template(language: str) -> None:
	ensure_sms_templates(
		{
			CODE_TEMPLATE: (
				_(
					"Your verification code is {code}, valid for {minutes} minutes. Do not tell it to anyone.",
					lang=language,
				),
				"code",
			),
			REGISTERED_NOTICE: (
				_(
					"This mobile number already has an account on the Guizhou Industrial Cloud. If you forgot the password, use Forgot password on the login page.",
					lang=language,
				),
				"",
			),
		}
	)


def ensure_sms_templates(templates: dict[str, tuple[str, str]]) -> None:
	"""Add the SMS templates (purpose -> (text, provider parameters)) that GZ SMS Settings lacks.
	Existing rows are an administrator's to edit and are left alone."""
	settings = frappe.get_single("GZ SMS Settings")
	present = {row.purpose for row in settings.templates}
	missing = {purpose: value for purpose, value in templates.items() if purpose not in present}
	if not missing:
		return
	for purpose, (text, params) in missing.items():
		settings.append("templates", {"purpose": purpose, "text": text, "params": params})
	settings.provider = settings.provider or "Capture"
	settings.save(ignore_permissions=True)


AGREEMENTS = {
	"registration-agreement": "Guizhou Industrial Cloud User Registration Agreement",
	"login-service-agreement": "Guizhou Industrial Cloud Login Service Agreement",
}


def ensure_agreement_pages(language: str) -> None:
	"""The two agreements of the registration page, as Web Pages an administrator edits in Desk."""
	for route, title in AGREEMENTS.items():
		if frappe.db.exists("Web Page", {"route": route}):
			continue
		title = _(title, lang=language)
		frappe.get_doc(
			{
				"doctype": "Web Page",
				"title": title,
				"route": route,
				"published": 1,
				"content_type": "Rich Text",
				"main_section": "<p>"
				+ _("The text of this agreement is maintained by the platform administrator.", lang=language)
				+ "</p>",
			}
		).insert(ignore_permissions=True)
