"""What people declare is plain text: markup is refused on save, on every path.

Every text field (Data, Small Text, Text, Long Text, Autocomplete) of every DocType of the app, its
child tables and the fields administrators add with Customize Form included, and a user's names,
hold text, not markup. A value with markup (`<` followed by a letter, `/`, `!` or `?`: a tag, a
comment, a declaration) is refused with a Chinese message that names the field, whichever way it
arrives: the portal's forms, Desk, REST, `frappe.client`, Data Import, the legacy import. A `<`
that opens no markup ("营业收入<2000万") is kept as typed. A URL field takes only http(s) addresses.

Why refuse, instead of storing the markup as text: Frappe shows text fields as HTML in many places
an app cannot reach (read-only fields of Desk forms, list and report cells, the timeline's change
log, its own print formats, e-mail), and its input cleaner skips text shaped like JSON, so one
stored `<img onerror=...>` runs in every reviewer's browser that shows it. Nobody declaring an
enterprise needs markup; refusing it at the document is the one rule every path obeys. The places
the app renders itself escape all the same (the 申报书, /verify, the portal's pages and scripts, the
Desk formatters of public/js/gz_desk.js), for records written before this rule and for the records
the server writes itself (logs quote what they record and are exempt: SERVER_RECORDS).

Hooks: doc_events "*" validate and User validate (hooks.py).
"""

import re
from functools import lru_cache

import frappe
from frappe import _

from gz_innovation.utils import TEXT_TYPES, throw_for_field

MARKUP = re.compile(r"<\s*[A-Za-z!/?]")
URL_SCHEMES = ("http://", "https://")
# Records the server writes about what happened: they quote what they record (an imported value, a
# message), and refusing would lose the record. Their text is escaped where it is shown.
SERVER_RECORDS = frozenset({"GZ Audit Log", "GZ SMS Log", "Cultivation Reminder Log", "Legacy Import Issue"})
USER_FIELDS = ("first_name", "middle_name", "last_name", "username")


class MarkupError(frappe.ValidationError):
	"""Markup in a field that holds plain text."""


@lru_cache(maxsize=1)
def app_modules() -> frozenset[str]:
	return frozenset(frappe.get_module_list("gz_innovation"))


def has_markup(value) -> bool:
	return isinstance(value, str) and bool(MARKUP.search(value))


def validate(doc, method=None) -> None:
	"""doc_events "*" validate: the document and its rows hold plain text (app DocTypes only)."""
	if doc.doctype in SERVER_RECORDS or doc.meta.module not in app_modules():
		return
	check_fields(doc)
	for table in doc.meta.get_table_fields():
		for row in doc.get(table.fieldname) or []:
			check_fields(row, parent_label=_(table.label), parent_field=table.fieldname)


def validate_user(doc, method=None) -> None:
	"""A user's names are shown in every timeline and 审核流程 step: plain text too."""
	check_fields(doc, fieldnames=USER_FIELDS)


def check_fields(doc, fieldnames=None, parent_label: str | None = None, parent_field: str | None = None):
	for df in doc.meta.fields:
		if fieldnames is not None and df.fieldname not in fieldnames:
			continue
		if df.fieldtype not in TEXT_TYPES:
			continue
		value = doc.get(df.fieldname)
		if not value or not isinstance(value, str):
			continue
		label = _(df.label or df.fieldname)
		if parent_label:
			label = _("{0} row {1}: {2}").format(parent_label, doc.idx or "", label)
		if has_markup(value):
			throw_for_field(
				parent_field or df.fieldname,
				_("{0}: web markup (HTML tags) is not allowed here, please enter plain text").format(label),
				MarkupError,
			)
		if df.options == "URL" and not value.strip().lower().startswith(URL_SCHEMES):
			throw_for_field(
				parent_field or df.fieldname,
				_("{0}: enter a web address that starts with http:// or https://").format(label),
				MarkupError,
			)
