"""Records written before markup was refused on save (boundary/plain_text.py) may hold it in their text
fields (Frappe's cleaner skipped text shaped like JSON). Such markup becomes inert text: each `<` that
opens markup becomes the full-width `＜`, which reads the same and opens nothing in any renderer
(Desk, the timeline, print formats, PDF, e-mail). Values without markup are left exactly as they are.
Safe to run again: a neutralized value holds no markup."""

import frappe

from gz_innovation.boundary.plain_text import MARKUP, SERVER_RECORDS, USER_FIELDS, app_modules
from gz_innovation.utils import TEXT_TYPES


def execute():
	for doctype in frappe.get_all("DocType", filters={"module": ["in", list(app_modules())]}, pluck="name"):
		if doctype in SERVER_RECORDS or frappe.get_meta(doctype).issingle:
			continue
		fields = [df.fieldname for df in frappe.get_meta(doctype).fields if df.fieldtype in TEXT_TYPES]
		neutralize(doctype, fields)
	neutralize("User", list(USER_FIELDS))


def neutralize(doctype: str, fields: list[str]) -> None:
	for fieldname in fields:
		if not frappe.db.has_column(doctype, fieldname):
			continue
		for name, value in frappe.get_all(
			doctype, filters={fieldname: ["like", "%<%"]}, fields=["name", fieldname], as_list=True
		):
			if isinstance(value, str) and MARKUP.search(value):
				inert = MARKUP.sub(lambda match: "＜" + match.group(0)[1:], value)
				frappe.db.set_value(doctype, name, fieldname, inert, update_modified=False)
