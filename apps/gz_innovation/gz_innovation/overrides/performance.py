"""Frappe v15 functions replaced by ones that give the same answers without the waste that deadline-day
load exposed (overrides/__init__.py registers each, with why and what retires it). Each replacement is
made from Frappe's own function (`make(frappe_function) -> replacement`), so it can call it.
tests/test_overrides.py checks that each answers exactly as Frappe's does.
"""

import functools
import pickle
from collections import OrderedDict

import frappe
import sqlparse

EMAIL_PASSWORD_DEFAULT = "email_user_password"


def ask_pass_update(frappe_function):
	"""Frappe's ask_pass_update (run by every User save), writing the system default only when it
	changes: rewriting it locks its row and clears every Redis key of the site."""

	def ask_pass_update() -> None:
		from frappe.utils import set_default

		password_list = frappe.get_all(
			"User Email", filters={"awaiting_password": 1, "used_oauth": 0}, pluck="parent", distinct=True
		)
		value = ",".join(password_list)
		if (frappe.db.get_default(EMAIL_PASSWORD_DEFAULT) or "") != value:
			set_default(EMAIL_PASSWORD_DEFAULT, value)

	return ask_pass_update


def get_apps(frappe_function):
	"""Frappe's get_apps (whitelisted as it is), without building the Desk sidebar when no installed
	app other than Frappe puts itself on the apps screen (this app does not)."""

	@frappe.whitelist()
	def get_apps(*args, **kwargs) -> list:
		on_apps_screen = any(
			frappe.get_hooks("add_to_apps_screen", app_name=app)
			for app in frappe.get_installed_apps()
			if app != "frappe"
		)
		return frappe_function(*args, **kwargs) if on_apps_screen else []

	return get_apps


KEPT_TEMPLATES = 512
kept_code: OrderedDict = OrderedDict()


def get_jenv(frappe_function):
	"""Frappe's Jinja environment of the request (new per request), compiling each template source
	once per process: compiling is a pure function of the source and the environment's settings."""

	def get_jenv(*args, **kwargs):
		jenv = frappe_function(*args, **kwargs)
		if not getattr(jenv, "gz_keeps_code", False):
			jenv.compile = functools.partial(_compile_kept, jenv, jenv.compile)
			jenv.gz_keeps_code = True
		return jenv

	return get_jenv


def _compile_kept(jenv, compile_, source, name=None, filename=None, raw=False, defer_init=False):
	if not isinstance(source, str):  # an already parsed template
		return compile_(source, name, filename, raw, defer_init)
	# What compiling depends on besides the source: the filters and tests, and autoescaping.
	key = (
		source,
		name,
		filename,
		raw,
		defer_init,
		frozenset(jenv.filters),
		frozenset(jenv.tests),
		jenv.autoescape if not callable(jenv.autoescape) else id(jenv.autoescape),
	)
	if key in kept_code:
		kept_code.move_to_end(key)
		return kept_code[key]
	code = kept_code[key] = compile_(source, name, filename, raw, defer_init)
	if len(kept_code) > KEPT_TEMPLATES:
		kept_code.popitem(last=False)
	return code


@functools.lru_cache(maxsize=4096)
def _sanitized_field(field: str, is_mariadb: bool) -> str:
	from frappe.utils.data import MARIADB_SPECIFIC_COMMENT

	stripped_field = sqlparse.format(field, strip_comments=True, keyword_case="lower")
	return MARIADB_SPECIFIC_COMMENT.sub("", stripped_field) if is_mariadb else stripped_field


def sanitize_fields(frappe_function):
	"""Frappe's Engine.sanitize_fields (sqlparse on every field name of every query), keeping each
	field text's result."""

	def sanitize_fields(self, fields, *args, **kwargs):
		if args or kwargs:
			return frappe_function(self, fields, *args, **kwargs)
		if isinstance(fields, list | tuple):
			return [_sanitized_field(f, self.is_mariadb) if isinstance(f, str) else f for f in fields]
		if isinstance(fields, str):
			return _sanitized_field(fields, self.is_mariadb)
		return fields

	return sanitize_fields


def setup_boot_cache(frappe_function):
	"""Frappe's LoginManager.setup_boot_cache (Desk's boot caches, rebuilt at every login: a row count
	of every table on the server), skipped for portal users, who never open Desk."""

	def setup_boot_cache(self, *args, **kwargs):
		if getattr(self, "user_type", None) == "Website User":
			return
		return frappe_function(self, *args, **kwargs)

	return setup_boot_cache


def race_free_redis_cache(frappe_function):
	"""A function under Frappe's @redis_cache, cached in the same keys without its race: Frappe asks
	Redis whether a key exists, then reads it, so a key deleted in between (any clear_cache) is read
	as None and the page that asked fails with a 500."""
	import frappe.utils.caching as caching

	function = frappe_function.__wrapped__
	function_key = f"{function.__module__}.{function.__qualname__}"
	request_key = getattr(caching, "__generate_request_cache_key")

	@functools.wraps(function)
	def read_then_compute(*args, **kwargs):
		key = function_key + "::" + str(request_key(args, kwargs))
		# One read of Redis itself: a stored value (a pickled None too) is bytes, a missing key None.
		stored = frappe.cache.get(frappe.cache.make_key(key))
		if stored is not None:
			return pickle.loads(stored)
		value = function(*args, **kwargs)
		frappe.cache.set_value(key, value, expires_in_sec=getattr(function, "ttl", 3600))
		return value

	read_then_compute.clear_cache = frappe_function.clear_cache
	return read_then_compute
