"""What every portal page of the app gets (templates/gz/base.html): the platform's brand, the
technical support contacts, the Chinese of the texts the portal bundle shows (Frappe's `__()` reads
them from `frappe._messages`), and the page's own data for its script.

Pages call `guest_page` (login, registration, home, notices) or `console.page` (logged-in pages),
both of which call `base` here."""

import hashlib
import json
import os
from functools import lru_cache

import frappe
from frappe import _

from gz_innovation.portal import settings

BUNDLE_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "public", "js", "portal")


def base(context, title: str, page: str, data: dict | None = None) -> None:
	"""The context of templates/gz/base.html. `page` names the bundle's page script to start."""
	context.title = title
	context.no_cache = 1
	context.show_sidebar = False
	context.gz_page = page
	context.gz_settings = settings.get()
	context.gz_messages = messages_json(frappe.local.lang)
	context.gz_data = script_json(data or {})
	context.gz_logged_in = frappe.session.user != "Guest"


def guest_page(context, title: str, page: str, data: dict | None = None) -> None:
	base(context, title, page, data)
	context.gz_layout = "guest"


def script_json(value) -> str:
	"""JSON to write inside a <script> element: nothing in it can end the element or open a comment."""
	text = json.dumps(value, ensure_ascii=False, default=str, separators=(",", ":"))
	return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


MESSAGES_SECONDS = 300  # a translation edited in Desk reaches the pages within this time


def messages_json(lang: str) -> str:
	"""`messages` as the script of every page writes it, made once per language and bundle version
	(Redis; a cache clear drops it) instead of looking every text up on every page view."""
	stamp = _sources_stamp()
	key = f"gz_portal_messages:{lang}:{hashlib.sha1(repr(stamp).encode()).hexdigest()[:12]}"
	text = frappe.cache.get_value(key, expires=True)
	if text is None:
		text = script_json(messages(lang, stamp))
		frappe.cache.set_value(key, text, expires_in_sec=MESSAGES_SECONDS)
	return text


def messages(lang: str, stamp: tuple | None = None) -> dict[str, str]:
	"""The Chinese (or the user's language) of every text the portal bundle passes to `__()`, from the
	app's catalog. The texts are read from the bundle's sources with Frappe's own extractor."""
	return {text: _(text, lang=lang) for text in bundle_texts(stamp or _sources_stamp())}


def _sources_stamp() -> tuple:
	return tuple(
		(name, os.stat(os.path.join(BUNDLE_DIR, name)).st_mtime_ns)
		for name in sorted(os.listdir(BUNDLE_DIR))
		if name.endswith(".js")
	)


@lru_cache(maxsize=4)
def bundle_texts(stamp: tuple) -> tuple[str, ...]:
	from frappe.translate import extract_messages_from_javascript_code

	texts = set()
	for name, _mtime in stamp:
		with open(os.path.join(BUNDLE_DIR, name), encoding="utf-8") as f:
			texts.update(
				message for _line, message, _context in extract_messages_from_javascript_code(f.read())
			)
	return tuple(sorted(texts))
