"""Sites made before: only the site's language is enabled (setup/install.py), so a guest whose
browser asks for English still gets the Chinese platform on Frappe 15.9x. Runs once; an administrator
may enable other languages again in Desk."""

import frappe

from gz_innovation.setup.install import DEFAULT_LANGUAGE, offer_only_the_site_language, site_setting


def execute():
	offer_only_the_site_language(site_setting("lang", DEFAULT_LANGUAGE))
