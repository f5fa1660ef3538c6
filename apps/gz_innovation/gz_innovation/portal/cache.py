"""Pages every guest sees alike (the platform home, the notices) are rendered once and served from
Redis to guests until something they show changes: a notice, the portal settings, a batch or its rule
sets (doc_events in hooks.py call `forget_guest_pages`), or the time passes at which a batch opens or
closes or a scheduled notice appears (the page says when: `context.guest_cache_seconds`).

Frappe's own page cache keeps one copy per path for everyone, guests and logged-in users alike, so
these pages set `no_cache` and this renderer (hook `page_renderer`) caches for guests only. Logged-in
users get the page rendered for them."""

import os
from functools import lru_cache

import frappe
from frappe.website.page_renderers.template_page import TemplatePage

KEY = "gz_guest_page"
GUEST_CACHED = ("home", "notices")
MAX_SECONDS = 600


def forget_guest_pages(doc=None, method=None) -> None:
	"""Drop the cached guest pages now and again once the transaction ends (so that no page made
	from rows of this transaction outlives a rollback, nor one made before the commit its change)."""
	_forget()
	if getattr(frappe.local, "db", None):
		frappe.db.after_commit.add(_forget)
		frappe.db.after_rollback.add(_forget)


def _forget() -> None:
	frappe.cache.delete_keys(KEY + ":")


class PortalPage(TemplatePage):
	"""The renderer of the app's portal pages (www/ of this app, all on templates/gz/base.html).

	Frappe's TemplatePage prepares what its own base template shows (website settings, theme, boot
	data, meta tags, sidebar and breadcrumbs) and, before it, asks every other renderer whether the
	path is theirs (web forms: a query and a routing map per request). The portal's pages show none
	of that: this renderer claims them first and keeps only what they use: their own context
	(portal/context.py), the `update_website_context` hooks (the password-change redirect among
	them) and Frappe's missing values. Guests get the home and the notices from the cache."""

	def can_render(self):
		return self.path in portal_routes() and getattr(self, "app", None) == APP and super().can_render()

	def render(self):
		if not self.guest_cached():
			return super().render()
		key = f"{KEY}:{self.path}:{frappe.local.lang}"
		html = frappe.cache.get_value(key, expires=True)
		if html:
			frappe.local.response.from_cache = True
		else:
			html = self.get_html()
			seconds = min(int(self.context.get("guest_cache_seconds") or MAX_SECONDS), MAX_SECONDS)
			if seconds > 0 and self.http_status_code == 200:
				frappe.cache.set_value(key, html, expires_in_sec=seconds)
		return self.build_response(self.add_csrf_token(html))

	def guest_cached(self) -> bool:
		return frappe.session.user == "Guest" and self.path in GUEST_CACHED and not frappe.form_dict

	def get_html(self):
		# Frappe's page cache never holds these pages (each sets no_cache): no need to ask it first.
		return TemplatePage.get_html.__wrapped__(self)

	def init_context(self):
		self.context = frappe._dict(frappe.local.conf.get("website_context") or {})
		self.context.lang = frappe.local.lang or "en"

	def post_process_context(self):
		self.update_website_context()
		self.template_path = self.context.template or self.template_path
		self.context._context_dict = self.context
		self.set_missing_values()


APP = "gz_innovation"


@lru_cache(maxsize=1)
def portal_routes() -> frozenset[str]:
	"""The routes of the app's portal pages: its www/*.html."""
	www = os.path.join(os.path.dirname(os.path.dirname(__file__)), "www")
	return frozenset(name[: -len(".html")] for name in os.listdir(www) if name.endswith(".html"))
