"""Personal data (ID numbers and mobiles of legal and authorised persons) on every path.

Forms, lists, reports and exports hide the fields above permission level 0 from those without that
level (Frappe's field-level permissions; staff read the masked copies the Enterprise keeps). A
document's history is read by everyone who reads the document (`getdoc` returns its Versions, Desk's
timeline shows them), so Versions of the app's records store such values masked
(hooks.py: doc_events Version.before_insert).
"""

import json
import re

import frappe
from frappe import _

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


# Lists: Frappe drops the fields a user may not read from what a list query returns, but not from
# its filters and sort order, so a filter such as `legal_person_id_number like "5201%"` would tell
# the value one guess at a time. A list query naming such a field anywhere is refused
# (overrides/list_query.py puts the check in front of Frappe's DatabaseQuery).
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def hidden_fields(doctype: str, parenttype: str | None, permission_type: str | None) -> set[str]:
	from frappe.model import get_permitted_fields

	above_level_0 = {df.fieldname for df in frappe.get_meta(doctype).fields if df.permlevel}
	if not above_level_0:
		return set()
	permitted = get_permitted_fields(
		doctype=doctype, parenttype=parenttype, permission_type=permission_type, ignore_virtual=True
	)
	return above_level_0 - set(permitted)


def _filter_targets(query, filters) -> list[tuple[str, str]]:
	"""(doctype, fieldname or text) of each filter, whatever its form."""
	if isinstance(filters, dict):
		return [(query.doctype, str(key)) for key in filters]
	targets = []
	for f in filters or []:
		if isinstance(f, dict):
			targets += [(query.doctype, str(key)) for key in f]
		elif isinstance(f, list | tuple) and f:
			targets.append((str(f[0]), str(f[1])) if len(f) >= 4 else (query.doctype, str(f[0])))
		elif isinstance(f, str):
			targets.append((query.doctype, f))
	return targets


def refuse_hidden_fields_in_conditions(query) -> None:
	if query.flags.ignore_permissions:
		return
	permission_type = query.permission_map.get(query.doctype)
	texts = _filter_targets(query, query.filters) + _filter_targets(query, query.or_filters)
	texts += [(query.doctype, query.order_by or ""), (query.doctype, query.group_by or "")]
	hidden_of = {}  # per DocType of the query (its own and its child tables), worked out once
	for doctype, text in texts:
		if not text:
			continue
		doctype = doctype.replace("`", "").removeprefix("tab")
		if doctype != query.doctype and not frappe.db.exists("DocType", doctype):
			doctype = query.doctype
		if doctype not in hidden_of:
			parent = query.doctype if doctype != query.doctype else query.parent_doctype
			hidden_of[doctype] = hidden_fields(doctype, parent, permission_type)
		named = hidden_of[doctype] & set(IDENTIFIER.findall(text))
		if named:
			label = frappe.get_meta(doctype).get_label(sorted(named)[0])
			frappe.throw(_("Not permitted to filter or sort by {0}").format(_(label)), frappe.PermissionError)
