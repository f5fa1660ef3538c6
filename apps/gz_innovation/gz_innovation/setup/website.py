"""Website context shared by every portal page."""

import frappe
from frappe import _


def translate_page_title(context) -> None:
	"""Frappe's own pages (e.g. /login) set English titles without `_()`: show them translated."""
	if context.get("title"):
		context["title"] = _(context["title"])
