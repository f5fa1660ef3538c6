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
2. Every web page (and every login) asks `frappe.apps.get_apps` for the apps screen, which first
   builds the Desk sidebar: every Workspace with the user's permissions. For a guest or a portal
   user that list is empty, which Frappe's cache (`Workspace.get_cached`) takes for a miss, so it
   was built again on each page, twice (get_boot_data, then get_default_path). The apps screen
   lists only apps that declare `add_to_apps_screen`; when no installed app but Frappe does (this
   app does not), the answer is an empty list without building anything.
3. Frappe makes a new Jinja environment for every request (`frappe.utils.jinja.get_jenv`), so
   every template of a page (web.html, base.html, the icon sprites, ...) was compiled again on
   every page view. A bytecode cache shared by the process keeps each template's compiled code,
   keyed by its file and checked against a checksum of its source, as Jinja's own caches are.
"""

import frappe
from jinja2 import BytecodeCache

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


@frappe.whitelist()
def get_apps() -> list:
	"""Frappe's get_apps (whitelisted as it is), without building the Desk sidebar when no
	installed app other than Frappe puts itself on the apps screen."""
	on_apps_screen = any(
		frappe.get_hooks("add_to_apps_screen", app_name=app)
		for app in frappe.get_installed_apps()
		if app != "frappe"
	)
	return _frappe_get_apps() if on_apps_screen else []


class ProcessBytecodeCache(BytecodeCache):
	"""Compiled templates kept in this process; Jinja checks each against its source's checksum."""

	def __init__(self):
		self.code: dict[str, bytes] = {}

	def load_bytecode(self, bucket) -> None:
		if data := self.code.get(bucket.key):
			bucket.bytecode_from_string(data)

	def dump_bytecode(self, bucket) -> None:
		self.code[bucket.key] = bucket.bytecode_to_string()


_bytecode_cache = ProcessBytecodeCache()
_frappe_get_apps = None
_frappe_get_jenv = None


def get_jenv():
	jenv = _frappe_get_jenv()
	jenv.bytecode_cache = _bytecode_cache
	return jenv


def apply() -> None:
	global _frappe_get_apps, _frappe_get_jenv
	import frappe.apps
	import frappe.core.doctype.user.user as user_module
	import frappe.utils.jinja
	import frappe.website.utils

	if user_module.ask_pass_update is not ask_pass_update:
		user_module.ask_pass_update = ask_pass_update
	if frappe.apps.get_apps is not get_apps:
		_frappe_get_apps = frappe.apps.get_apps
		frappe.apps.get_apps = get_apps
		frappe.website.utils.get_apps = get_apps
	if frappe.utils.jinja.get_jenv is not get_jenv:
		_frappe_get_jenv = frappe.utils.jinja.get_jenv
		frappe.utils.jinja.get_jenv = get_jenv
		frappe.get_jenv = get_jenv
