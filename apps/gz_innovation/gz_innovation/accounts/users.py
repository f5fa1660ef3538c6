"""What a user may change on a User record (hooks.py: doc_events User.validate).

Login identifiers (mobile number, username), the account's state and the fields the app's security
rests on (the forced password change, a reviewer's Review City) are changed by System Managers in
Desk or by the app's own flows (`frappe.db.set_value` in accounts, enterprise); a user's own save of
their User record (My Settings, REST, `frappe.client.set_value`) cannot touch them. Roles are
permission level 1 in Frappe, which already keeps them for System Managers. Modules above this one
add their own User fields through the `gz_protected_user_fields` hook (enterprise: Review City).
"""

import frappe
from frappe import _

from gz_innovation.accounts.password import MUST_CHANGE_FIELD
from gz_innovation.utils import changed_fields, is_platform_admin

PROTECTED_FIELDS = (MUST_CHANGE_FIELD, "mobile_no", "username", "enabled", "user_type")


def protected_fields() -> list[str]:
	return [*PROTECTED_FIELDS, *frappe.get_hooks("gz_protected_user_fields")]


def validate_user(doc, method=None) -> None:
	if doc.is_new() or is_platform_admin():
		return
	changed = changed_fields(doc, [f for f in protected_fields() if doc.meta.has_field(f)])
	if changed:
		raise frappe.PermissionError(
			_("Only a System Manager can change {0}").format(
				"、".join(_(doc.meta.get_label(f)) for f in changed)
			)
		)


def refuse_rename(doc, method=None, *args, **kwargs) -> None:
	"""User.before_rename hook: a user's name is its e-mail (or the mobile's placeholder address) and
	every membership points at it; only a System Manager renames an account."""
	if not is_platform_admin():
		raise frappe.PermissionError(_("Only a System Manager can rename an account"))
