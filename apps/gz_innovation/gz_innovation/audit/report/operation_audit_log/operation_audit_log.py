"""审计日志: the audit trail for System Managers, filtered by time, user, action type, document and
address; exportable (the export is itself recorded)."""

import frappe
from frappe import _
from frappe.utils import add_days, add_to_date, nowdate

from gz_innovation.utils import filter_date

DEFAULT_DAYS = 30


def execute(filters=None):
	filters = frappe._dict(filters or {})
	frappe.only_for("System Manager")
	from_date = filter_date(filters, "from_date", "Date From", add_days(nowdate(), -DEFAULT_DAYS))
	to_date = filter_date(filters, "to_date", "Date To", nowdate())
	conditions = [["creation", ">=", from_date], ["creation", "<", add_to_date(to_date, days=1)]]
	for field in ("user", "action", "reference_doctype", "reference_name"):
		if filters.get(field):
			conditions.append([field, "=", filters[field]])
	if filters.get("ip_address"):
		conditions.append(["ip_address", "like", f"%{filters.ip_address}%"])
	rows = frappe.get_list(
		"GZ Audit Log",
		filters=conditions,
		fields=[
			"creation",
			"user",
			"user_full_name",
			"action",
			"reference_doctype",
			"reference_name",
			"description",
			"ip_address",
			"source",
		],
		order_by="creation desc",
		limit_page_length=0,
	)
	if not rows:
		return get_columns(), [], _("No audit records for these filters.")
	for row in rows:
		row.reference_doctype_label = _(row.reference_doctype) if row.reference_doctype else ""
	return get_columns(), rows


def get_columns() -> list[dict]:
	return [
		{"fieldname": "creation", "label": _("Time"), "fieldtype": "Datetime", "width": 160},
		{"fieldname": "user", "label": _("User"), "fieldtype": "Link", "options": "User", "width": 180},
		{"fieldname": "user_full_name", "label": _("Full Name"), "fieldtype": "Data", "width": 100},
		{"fieldname": "action", "label": _("Action Type"), "fieldtype": "Data", "width": 100},
		{
			"fieldname": "reference_doctype_label",
			"label": _("Audited Document Type"),
			"fieldtype": "Data",
			"width": 120,
		},
		{
			"fieldname": "reference_name",
			"label": _("Audited Document"),
			"fieldtype": "Dynamic Link",
			"options": "reference_doctype",
			"width": 160,
		},
		{"fieldname": "description", "label": _("What"), "fieldtype": "Data", "width": 420},
		{"fieldname": "ip_address", "label": _("IP Address"), "fieldtype": "Data", "width": 120},
		{"fieldname": "source", "label": _("Request Source"), "fieldtype": "Data", "width": 90},
		{"fieldname": "reference_doctype", "label": "reference_doctype", "fieldtype": "Data", "hidden": 1},
	]
