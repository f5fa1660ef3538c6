# Replaces Frappe's /login: one identifier (mobile, username or 统一社会信用代码), password and
# an image captcha (manual §2.1.2).
import frappe

no_cache = 1


def get_context(context):
	if frappe.session.user != "Guest":
		frappe.local.flags.redirect_location = (
			"/app" if frappe.session.data.user_type == "System User" else "/account-center"
		)
		raise frappe.Redirect
	context.app_name = frappe.get_website_settings("app_name") or frappe.get_system_settings("app_name")
	context.show_sidebar = False
