"""Personal data (ID numbers and mobiles of legal and authorised persons) on every path.

Forms, lists, reports and exports hide the fields above permission level 0 from those without that
level (Frappe's field-level permissions; staff read the masked copies the Enterprise keeps). A
document's history is read by everyone who reads the document (`getdoc` returns its Versions, Desk's
timeline shows them), so Versions of the app's records store such values masked
(hooks.py: doc_events Version.before_insert).
"""

import json

import frappe

from gz_innovation.enterprise.idcard import mask_id_number, mask_mobile
from gz_innovation.utils import is_app_doctype


def mask(fieldname: str, value):
	if value in (None, ""):
		return value
	if "id_number" in fieldname:
		return mask_id_number(str(value))
	if "mobile" in fieldname or "phone" in fieldname:
		return mask_mobile(str(value))
	return "******"


def mask_version(doc, method=None) -> None:
	if not is_app_doctype(doc.ref_doctype) or not doc.data:
		return
	hidden = {df.fieldname for df in frappe.get_meta(doc.ref_doctype).fields if df.permlevel}
	if not hidden:
		return
	data = json.loads(doc.data)
	for change in data.get("changed") or []:
		if change and change[0] in hidden:
			change[1:] = [mask(change[0], value) for value in change[1:]]
	doc.data = json.dumps(data, separators=(",", ":"), default=str)
