import frappe

no_cache = 1


def get_context(context):
	if frappe.session.user == "Guest":
		frappe.local.flags.redirect_location = "/login?redirect-to=/account-center"
		raise frappe.Redirect
	account = frappe.db.get_value(
		"User", frappe.session.user, ["full_name", "username", "mobile_no"], as_dict=True
	)
	mobile = account.mobile_no or ""
	account.mobile_masked = mobile[:3] + "****" + mobile[-4:] if len(mobile) == 11 else mobile
	context.account = account
	context.show_sidebar = False
