# 个人控制台 → 企业成员: the enterprise admin manages members and join requests (manual §1.6).
import frappe
from frappe import _

from gz_innovation.portal import console
from gz_innovation.portal import context as portal

no_cache = 1


def get_context(context):
	console.require_login("/members")
	state = console.page(context, "members", _("Enterprise members"), "members")
	if not state.get("is_admin"):
		frappe.local.flags.redirect_location = "/account-center"
		raise frappe.Redirect
	context.enterprise_name = state.enterprise_name
	# The page's data needs the state console.page reads, so it is set after it.
	context.gz_data = portal.script_json({"enterprise": state.enterprise})
