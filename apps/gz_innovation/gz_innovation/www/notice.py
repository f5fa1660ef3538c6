# /notices/<name> (website_route_rules): one published notice with its attachments.
import frappe
from frappe.utils.html_utils import sanitize_html

from gz_innovation.portal import context as portal
from gz_innovation.portal import notices

no_cache = 1
sitemap = 0


def get_context(context):
	notice = notices.get_published(frappe.form_dict.get("name") or "")
	if not notice:
		raise frappe.PageDoesNotExistError
	portal.guest_page(context, notice.title, "notice")
	context.notice = notice
	context.content = sanitize_html(notice.content or "")  # Frappe sanitised it on save; again here
