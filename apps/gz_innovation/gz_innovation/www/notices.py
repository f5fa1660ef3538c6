# 通知公告: every published notice, newest first (guests: the first page from portal/cache.py).
import frappe
from frappe import _
from frappe.utils import cint

from gz_innovation.portal import context as portal
from gz_innovation.portal import notices

no_cache = 1
sitemap = 1


def get_context(context):
	portal.guest_page(context, _("Notices"), "notices")
	context.page = max(cint(frappe.form_dict.get("page")) or 1, 1)
	start = (context.page - 1) * notices.PAGE_SIZE
	context.notices = notices.published(limit=notices.PAGE_SIZE, start=start)
	context.has_next = notices.count_published() > start + len(context.notices)
	context.guest_cache_seconds = notices.seconds_until_next_publication()
