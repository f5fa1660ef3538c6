# 个人控制台 → 账户中心 → 账户信息.
import frappe
from frappe import _

from gz_innovation.enterprise.idcard import mask_mobile
from gz_innovation.portal import console

no_cache = 1


def get_context(context):
	console.require_login("/account-center")
	state = console.page(context, "account", _("Account Information"), "account")
	account = frappe.db.get_value(
		"User", frappe.session.user, ["full_name", "username", "mobile_no"], as_dict=True
	)
	# An account of the previous platform may come without a usable mobile number.
	account.mobile_masked = mask_mobile(account.mobile_no) or _("Not bound")
	account.update(
		enterprise=state.get("enterprise"),
		enterprise_name=state.get("enterprise_name"),
		enterprise_status=state.get("certification_status"),
		is_admin=state.get("is_admin"),
		needs_update=state.get("needs_update"),
		account_type=state.role,
		application_status=state.get("application_status"),
		application_name=state.get("application_name"),
	)
	context.account = account
