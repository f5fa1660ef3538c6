import frappe
from frappe import _

from gz_innovation.enterprise.idcard import mask_mobile
from gz_innovation.enterprise.membership import enterprise_of
from gz_innovation.legacy import completion

no_cache = 1


def get_context(context):
	if frappe.session.user == "Guest":
		frappe.local.flags.redirect_location = "/login?redirect-to=/account-center"
		raise frappe.Redirect
	account = frappe.db.get_value(
		"User", frappe.session.user, ["full_name", "username", "mobile_no"], as_dict=True
	)
	# An account of the previous platform may come without a usable mobile number.
	account.mobile_masked = mask_mobile(account.mobile_no) or _("Not bound")
	enterprise = enterprise_of(frappe.session.user)
	if enterprise:
		name, status, admin = frappe.db.get_value(
			"Enterprise", enterprise, ["enterprise_name", "certification_status", "enterprise_admin"]
		)
		account.update(
			enterprise=enterprise,
			enterprise_name=name,
			enterprise_status=status,
			is_admin=admin == frappe.session.user,
			needs_update=bool(completion.enterprise_to_complete()),
		)
	account.account_type = (
		_("Enterprise admin")
		if account.get("is_admin")
		else _("Enterprise staff")
		if enterprise
		else _("Personal user")
	)
	context.account = account
	context.show_sidebar = False
