# 账户中心 → 企业成员: the enterprise admin manages members and join requests (manual §1.6).
import frappe
from frappe import _

from gz_innovation.enterprise.membership import enterprise_of, is_admin_of
from gz_innovation.enterprise.roles import ASSIGNABLE_ROLES

no_cache = 1


def get_context(context):
	if frappe.session.user == "Guest":
		frappe.local.flags.redirect_location = "/login?redirect-to=/members"
		raise frappe.Redirect
	enterprise = enterprise_of(frappe.session.user)
	if not enterprise or not is_admin_of(enterprise):
		frappe.local.flags.redirect_location = "/account-center"
		raise frappe.Redirect
	context.enterprise = enterprise
	context.enterprise_name = frappe.db.get_value("Enterprise", enterprise, "enterprise_name")
	context.assignable_roles = {role: _(label) for role, label in ASSIGNABLE_ROLES.items()}
	context.show_sidebar = False
