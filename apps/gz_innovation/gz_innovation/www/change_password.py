# 个人控制台 → 账户中心 → 修改密码 (also the forced change after an admin-set default password).
from frappe import _

from gz_innovation.accounts.password import must_change_password
from gz_innovation.portal import console

no_cache = 1


def get_context(context):
	console.require_login("/change-password")
	console.page(context, "password", _("Change Password"), "change-password")
	context.forced = must_change_password()
