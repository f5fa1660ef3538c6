"""The platform's logo and name in place of Frappe's, in Frappe's own settings records (idempotent; run
after install and every migrate by setup/install.py):

- Website Settings → App Name: the platform's name as the manual's login page has it
  (贵州省工业和信息化领域科技创新服务平台): the login page's heading and Desk's page title;
- Navbar Settings → App Logo: the logo of Desk's navigation bar;
- Website Settings → Splash Image and Favicon: the image Desk shows while it loads, the browser tab's icon.

Each is filled in while it is empty or still Frappe's; what an administrator sets there is kept."""

import frappe
from frappe import _

from gz_innovation.portal import settings as portal_settings

LOGO = portal_settings.DEFAULT_LOGO  # /assets/gz_innovation/images/gz-logo.svg
NAME = "Guizhou Technology Innovation Platform"  # translated: the manual's name of the platform
FRAPPE_NAMES = (None, "", "Frappe")


def apply_brand(language: str) -> None:
	changed = False
	if frappe.db.get_single_value("Website Settings", "app_name") in FRAPPE_NAMES:
		frappe.db.set_single_value("Website Settings", "app_name", _(NAME, lang=language))
		changed = True
	for doctype, fieldname in (
		("Navbar Settings", "app_logo"),
		("Website Settings", "splash_image"),
		("Website Settings", "favicon"),
	):
		if not frappe.db.get_single_value(doctype, fieldname):
			frappe.db.set_single_value(doctype, fieldname, LOGO)
			changed = True
	if changed:
		frappe.clear_cache()  # Desk's boot and the pages' context read these from caches
