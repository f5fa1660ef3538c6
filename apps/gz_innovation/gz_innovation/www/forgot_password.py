import frappe
from frappe import _

from gz_innovation.portal import context as portal

no_cache = 1


def get_context(context):
	if frappe.session.user != "Guest":
		frappe.local.flags.redirect_location = "/account-center"
		raise frappe.Redirect
	portal.guest_page(context, _("Reset Password"), "reset-password")
