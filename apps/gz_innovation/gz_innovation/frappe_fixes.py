"""Fixes of Frappe v15 behaviour that deadline-day load exposes. Each replaces one named Frappe
function with one that does the same work, and goes away with the Frappe release that fixes it.
Applied at the start of every request and background job (hooks `before_request`,
`before_job`); applying twice changes nothing.

1. `frappe.core.doctype.user.user.ask_pass_update`, called by `User.validate` on every save of a
   User, rewrites the system default `email_user_password` (the users whose e-mail account awaits
   a password) even when it stays the same. Rewriting a system default locks its row until the
   transaction ends and clears every Redis key of the site (frappe.defaults._clear_cache): each
   registration or staff account made every gunicorn worker load every DocType's meta again and
   serialised (and deadlocked) concurrent registrations. Here the default is written only when
   the list changed, as Frappe's own "perf: dont set defaults unless required" (frappe/frappe#25626)
   does upstream.
"""

import frappe

EMAIL_PASSWORD_DEFAULT = "email_user_password"


def ask_pass_update() -> None:
	"""Frappe's ask_pass_update, writing the default only when its value changes."""
	from frappe.utils import set_default

	password_list = frappe.get_all(
		"User Email", filters={"awaiting_password": 1, "used_oauth": 0}, pluck="parent", distinct=True
	)
	value = ",".join(password_list)
	if (frappe.db.get_default(EMAIL_PASSWORD_DEFAULT) or "") != value:
		set_default(EMAIL_PASSWORD_DEFAULT, value)


def apply() -> None:
	import frappe.core.doctype.user.user as user_module

	if user_module.ask_pass_update is not ask_pass_update:
		user_module.ask_pass_update = ask_pass_update
