# The platform home `/` (hooks: home_page): for guests served from a cache (portal/cache.py).
from frappe import _

from gz_innovation.portal import context as portal
from gz_innovation.portal import home

no_cache = 1  # Frappe's cache would serve one copy to everyone; guests get theirs from portal/cache.py
sitemap = 1


def get_context(context):
	portal.guest_page(context, _("Home"), "home")
	context.title = context.gz_settings.platform_name
	context.gz_layout = "home"
	home.context(context)
