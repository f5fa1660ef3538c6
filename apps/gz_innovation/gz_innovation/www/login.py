# Replaces Frappe's /login: one identifier (mobile, username or 统一社会信用代码), password and
# an image captcha (manual §2.1.2).
import frappe
from frappe import _

from gz_innovation.accounts.api import allowed_redirect, home_of
from gz_innovation.portal import context as portal

no_cache = 1


def get_context(context):
	if frappe.session.user != "Guest":
		user_type = frappe.session.data.user_type
		frappe.local.flags.redirect_location = allowed_redirect(
			frappe.form_dict.get("redirect-to"), user_type
		) or home_of(user_type)
		raise frappe.Redirect
	portal.guest_page(context, _("Login"), "login")
	context.app_name = frappe.get_website_settings("app_name") or frappe.get_system_settings("app_name")
