# 控制台 → 数字工信中心 → 科技创新平台 → 创新平台管理中心 (manual §3.1).
import frappe

from gz_innovation.legacy import completion

no_cache = 1


def get_context(context):
	if frappe.session.user == "Guest":
		frappe.local.flags.redirect_location = "/login?redirect-to=/cultivation"
		raise frappe.Redirect
	completion.redirect_if_needed(context)
	# Arriving from 需更新完善: say that the data was saved.
	context.just_updated = frappe.form_dict.get("updated") == "1"
	context.show_sidebar = False
