"""Idempotent site set-up: runs after install, after every migrate and before tests."""

import frappe

from gz_innovation.accounts.setup import setup_accounts
from gz_innovation.cultivation.department import setup_department
from gz_innovation.cultivation.setup import setup_cultivation
from gz_innovation.enterprise.setup import setup_enterprise
from gz_innovation.portal import settings as portal_settings
from gz_innovation.recognition.setup import setup_recognition
from gz_innovation.setup.brand import apply_brand

DEFAULT_LANGUAGE = "zh"
DEFAULT_TIME_ZONE = "Asia/Shanghai"
DEFAULT_COUNTRY = "China"


def after_install() -> None:
	apply_site_defaults(fresh_install=True)


def after_migrate() -> None:
	apply_site_defaults()
	prepare_caches()


def prepare_caches() -> None:
	"""A migrate clears every cache: the first requests after it find them prepared (prepare.py). A
	failure here is logged, not raised: the caches are then built on first use, as before."""
	from gz_innovation import prepare

	try:
		prepare.prepare()
	except Exception:
		frappe.log_error("gz_innovation: preparing the caches after migrate")


def before_tests() -> None:
	# Tests run with the patches of Frappe that every request and job of the site runs with.
	from gz_innovation import overrides

	overrides.apply()
	apply_site_defaults()
	frappe.db.commit()  # nosemgrep: the test runner needs these defaults before its first test


def offer_only_the_site_language(language: str) -> None:
	"""The platform speaks its site's language (Chinese) to everyone: Frappe gives a guest the first
	language of the browser's Accept-Language that is enabled (Frappe 15.9x honours it for guests,
	15.55 did not), so a new site enables only the site's language. An administrator who wants
	another enables it in Desk (Language); a guest may still ask with ?_lang=."""
	frappe.db.set_value("Language", {"name": ["!=", language]}, "enabled", 0, update_modified=False)
	if frappe.db.exists("Language", language):
		frappe.db.set_value("Language", language, "enabled", 1, update_modified=False)
	frappe.cache.delete_value(["languages", "languages_with_name"])


def site_setting(key: str, default):
	"""A value of the site configuration (the repository's sites/site_config.json template)."""
	return frappe.conf.get(key) or default


def apply_site_defaults(fresh_install: bool = False) -> None:
	"""Chinese, Asia/Shanghai and a completed setup, so no setup wizard is shown to anyone.

	Frappe v15 renders pages for guests in the site configuration's `lang`; System Settings'
	language is what logged-in users without a language of their own get."""
	language = site_setting("lang", DEFAULT_LANGUAGE)
	values = {
		"language": language,
		"time_zone": site_setting("time_zone", DEFAULT_TIME_ZONE),
		"date_format": "yyyy-mm-dd",
		"time_format": "HH:mm:ss",
		"number_format": "#,###.##",
		"first_day_of_the_week": "Monday",
		"setup_complete": 1,
		# The manual has no password-less way in: close Frappe's login by e-mail link.
		"login_with_email_link": 0,
		# Passwords are checked only behind the captcha of the app's login (accounts/login.py):
		# Frappe's own /api/method/login is off.
		"disable_user_pass_login": 1,
	}
	country = site_setting("gz_country", DEFAULT_COUNTRY)
	if frappe.db.exists("Country", country):
		values["country"] = country
	settings = frappe.get_single("System Settings")
	changed = {key: value for key, value in values.items() if settings.get(key) != value}
	if changed:
		settings.update(changed)
		settings.flags.ignore_mandatory = True
		settings.save(ignore_permissions=True)
	frappe.db.set_default("lang", language)
	if fresh_install:
		offer_only_the_site_language(language)
	# Frappe creates Administrator in Asia/Kolkata: Desk would show every time shifted by 2.5 h.
	if frappe.db.get_value("User", "Administrator", "time_zone") not in (None, "", values["time_zone"]):
		frappe.db.set_value("User", "Administrator", "time_zone", values["time_zone"], update_modified=False)
	# What Frappe's setup wizard does on completion: Desk opens on the workspace, not the wizard.
	frappe.db.set_default("desktop:home_page", "workspace")
	apply_brand(language)  # the platform's logo and name in place of Frappe's
	setup_accounts(language, fresh_install=fresh_install)
	setup_enterprise(language)
	setup_cultivation(language)
	setup_department(language)
	setup_recognition(language)
	portal_settings.ensure_defaults()
	# Frappe's own e-mail sign-up is not our registration (which needs a mobile number).
	frappe.db.set_single_value("Website Settings", "disable_signup", 1)
