# 个人控制台 → 数字工信中心 → 科技创新平台 → 创新平台管理中心 (manual §3.1).
import frappe
from frappe import _

from gz_innovation.legacy import completion
from gz_innovation.portal import console

no_cache = 1


def get_context(context):
	console.require_login("/cultivation")
	state = console.page(context, "cultivation", _("Innovation Platform Management Center"), "cultivation")
	if state.needs_update:  # a legacy admin completes the imported data first (需更新完善)
		frappe.local.flags.redirect_location = completion.PATH
		raise frappe.Redirect
	# Arriving from 需更新完善: say that the data was saved.
	context.just_updated = frappe.form_dict.get("updated") == "1"
