import frappe

no_cache = 1


def get_context(context):
	if frappe.session.user != "Guest":
		frappe.local.flags.redirect_location = "/account-center"
		raise frappe.Redirect
	context.no_header = False
	context.show_sidebar = False
