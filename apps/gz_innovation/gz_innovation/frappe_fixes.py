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
   every template of a page (web.html, base.html, the icon sprites, the page itself, ...) was
   compiled again on every page view. The environments keep sharing Frappe's settings, but the
   compiled code of a template source is kept by the process (the last 512 sources): compiling
   is a pure function of the source and the environment's settings, which are the same for all.
4. `frappe.db.get_value` and the query builder run every field name through `sqlparse.format`
   (`Engine.sanitize_fields`) on every query, a large share of a request's time. The result
   depends only on the field text, so it is kept (the last 4,096 field texts).
5. Every login rebuilds Desk's boot caches (`LoginManager.setup_boot_cache`): the row count of
   every table on the database server (information_schema, not even limited to the site's
   database) and the domain restrictions. A portal user (Website User) never opens Desk, so their
   logins skip it; Desk users' logins rebuild them as before.
6. Frappe's `redis_cache` asks Redis whether a key exists, then reads it: a key deleted in between
   is read as None. Any `frappe.clear_cache(...)`, even for one user (every User save does one),
   deletes the routing caches, so a page rendered at that moment failed with a 500
   ("'NoneType' object is not iterable" in get_page_info_from_web_form). The routing functions
   every page request asks (published web forms, dynamic web pages, document web views) read the
   key once.
"""

import functools
import importlib
import pickle
from collections import OrderedDict

import frappe
import sqlparse

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


KEPT_TEMPLATES = 512
_kept_code: OrderedDict = OrderedDict()


def get_jenv():
	"""Frappe's Jinja environment of this request, compiling each template source once per process."""
	jenv = _frappe_get_jenv()
	if not getattr(jenv, "gz_keeps_code", False):
		jenv.compile = functools.partial(_compile_kept, jenv, jenv.compile)
		jenv.gz_keeps_code = True
	return jenv


def _compile_kept(jenv, compile_, source, name=None, filename=None, raw=False, defer_init=False):
	if not isinstance(source, str):  # an already parsed template
		return compile_(source, name, filename, raw, defer_init)
	# Compiling checks the filters and tests the environment has: they are part of the key.
	key = (source, name, filename, raw, defer_init, frozenset(jenv.filters), frozenset(jenv.tests))
	if key in _kept_code:
		_kept_code.move_to_end(key)
		return _kept_code[key]
	code = _kept_code[key] = compile_(source, name, filename, raw, defer_init)
	if len(_kept_code) > KEPT_TEMPLATES:
		_kept_code.popitem(last=False)
	return code


@functools.lru_cache(maxsize=4096)
def _sanitized_field(field: str, is_mariadb: bool) -> str:
	from frappe.utils.data import MARIADB_SPECIFIC_COMMENT

	stripped_field = sqlparse.format(field, strip_comments=True, keyword_case="lower")
	return MARIADB_SPECIFIC_COMMENT.sub("", stripped_field) if is_mariadb else stripped_field


def sanitize_fields(self, fields):
	"""Frappe's Engine.sanitize_fields, keeping each field text's result."""
	if isinstance(fields, list | tuple):
		return [_sanitized_field(f, self.is_mariadb) if isinstance(f, str) else f for f in fields]
	if isinstance(fields, str):
		return _sanitized_field(fields, self.is_mariadb)
	return fields


def setup_boot_cache(self):
	"""Frappe's LoginManager.setup_boot_cache, skipped for portal users (Desk is not theirs)."""
	if self.user_type == "Website User":
		return
	_frappe_setup_boot_cache(self)


def race_free_redis_cache(cached):
	"""The function under Frappe's @redis_cache, cached in the same keys without the race."""
	import frappe.utils.caching as caching

	func = cached.__wrapped__
	func_key = f"{func.__module__}.{func.__qualname__}"
	request_key = getattr(caching, "__generate_request_cache_key")

	@functools.wraps(func)
	def read_then_compute(*args, **kwargs):
		key = func_key + "::" + str(request_key(args, kwargs))
		# One read of Redis itself: a stored value (a pickled None too) is bytes, a missing key None.
		stored = frappe.cache.get(frappe.cache.make_key(key))
		if stored is not None:
			return pickle.loads(stored)
		value = func(*args, **kwargs)
		frappe.cache.set_value(key, value, expires_in_sec=getattr(func, "ttl", 3600))
		return value

	read_then_compute.clear_cache = cached.clear_cache
	read_then_compute.gz_race_free = True
	return read_then_compute


ROUTING_CACHES = (
	("frappe.website.doctype.web_form.web_form", "get_published_web_forms"),
	("frappe.website.doctype.web_page.web_page", "get_dynamic_web_pages"),
	("frappe.website.page_renderers.document_page", "_find_matching_document_webview"),
)

_frappe_get_apps = None
_frappe_get_jenv = None
_frappe_sanitize_fields = None
_frappe_setup_boot_cache = None


def apply() -> None:
	global _frappe_get_apps, _frappe_get_jenv, _frappe_sanitize_fields, _frappe_setup_boot_cache
	import frappe.apps
	import frappe.auth
	import frappe.core.doctype.user.user as user_module
	import frappe.database.query
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
	if frappe.database.query.Engine.sanitize_fields is not sanitize_fields:
		_frappe_sanitize_fields = frappe.database.query.Engine.sanitize_fields
		frappe.database.query.Engine.sanitize_fields = sanitize_fields
	for module_name, name in ROUTING_CACHES:
		module = importlib.import_module(module_name)
		if not getattr(getattr(module, name), "gz_race_free", False):
			setattr(module, name, race_free_redis_cache(getattr(module, name)))
	if frappe.auth.LoginManager.setup_boot_cache is not setup_boot_cache:
		_frappe_setup_boot_cache = frappe.auth.LoginManager.setup_boot_cache
		frappe.auth.LoginManager.setup_boot_cache = setup_boot_cache
