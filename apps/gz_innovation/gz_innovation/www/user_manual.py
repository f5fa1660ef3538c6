# 用户操作手册 of the home's 下载专区 while no manual file is uploaded: the guide kept in Desk
# (GZ Portal Settings → User Guide); an uploaded manual is linked instead (templates/gz/side.html).
from frappe import _
from frappe.utils.html_utils import sanitize_html

from gz_innovation.portal import context as portal

no_cache = 1
sitemap = 1


def get_context(context):
	portal.guest_page(context, _("User Guide for Enterprises"), "user-manual")
	# Kept by administrators in a Text Editor field (Frappe sanitised it on save; again here).
	context.content = sanitize_html(context.gz_settings.user_guide or "")
