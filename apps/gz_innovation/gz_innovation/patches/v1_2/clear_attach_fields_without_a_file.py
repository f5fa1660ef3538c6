"""Attach fields of the app's records that hold something other than a file of that record (a typed
URL or markup, possible before the rule in enterprise/files.py) are cleared. Safe to rerun."""

import frappe

from gz_innovation.utils import is_app_doctype


def execute():
	for doctype, fieldname in frappe.get_all(
		"DocField",
		filters={"fieldtype": ["in", ("Attach", "Attach Image")], "parenttype": "DocType"},
		fields=["parent", "fieldname"],
		as_list=True,
	):
		meta = frappe.get_meta(doctype)
		if not is_app_doctype(doctype) or meta.istable or meta.issingle:
			continue
		for name, value in frappe.get_all(
			doctype, filters={fieldname: ["is", "set"]}, fields=["name", fieldname], as_list=True
		):
			attached = frappe.db.exists(
				"File", {"file_url": value, "attached_to_doctype": doctype, "attached_to_name": name}
			)
			if not attached:
				frappe.db.set_value(doctype, name, fieldname, None, update_modified=False)
