import frappe

from gz_innovation.accounts.password import must_change_password

no_cache = 1


def get_context(context):
	if frappe.session.user == "Guest":
		frappe.local.flags.redirect_location = "/login"
		raise frappe.Redirect
	context.forced = must_change_password()
	context.show_sidebar = False
