"""审核时效: per submitted application, how long 市州初审 and 省厅审核 took (the latest submission's
cycle; a stage still running counts until now) against the batch's deadlines, and which items are
over their deadline. Only the applications the user may read are listed."""

import frappe
from frappe import _
from frappe.utils import flt, get_datetime, now_datetime

from gz_innovation.cultivation import stages

DRAFT = "草稿"


def execute(filters=None):
	filters = frappe._dict(filters or {})
	columns = get_columns()
	conditions = {"status": ["!=", DRAFT]}
	for field in ("batch", "cultivation_type", "city"):
		if filters.get(field):
			conditions[field] = filters[field]
	applications = frappe.get_list(
		"Cultivation Submission",
		filters=conditions,
		fields=["name", "enterprise_name", "cultivation_type", "batch", "city", "status", "submitted_at"],
		order_by="submitted_at asc",
		limit_page_length=0,
	)
	if not applications:
		return columns, [], empty_message(filters)
	deadlines = batch_deadlines({a.batch for a in applications})
	history = stages.stage_history([a.name for a in applications])
	now = now_datetime()
	data = []
	for application in applications:
		row = timeliness(application, history.get(application.name, []), deadlines[application.batch], now)
		if filters.get("overdue_only") and not (row["city_overdue"] or row["province_overdue"]):
			continue
		data.append(row)
	if not data:
		return columns, [], _("No application is over its deadline.")
	return columns, data, None, None, summary(data)


def batch_deadlines(batches) -> dict:
	rows = frappe.get_all(
		"Cultivation Batch",
		filters={"name": ["in", list(batches)]},
		fields=["name", "city_review_deadline", "province_review_deadline"],
	)
	return {
		row.name: {
			key: get_datetime(row.get(stage["deadline_field"])) if row.get(stage["deadline_field"]) else None
			for key, stage in stages.STAGES.items()
		}
		for row in rows
	}


def timeliness(application, steps, deadlines: dict, now) -> dict:
	spans = stages.stage_spans(steps, now)
	row = {
		"name": application.name,
		"enterprise_name": application.enterprise_name,
		"cultivation_type": application.cultivation_type,
		"city": application.city,
		"status": application.status,
		"submitted_at": application.submitted_at,
	}
	for key in stages.STAGES:
		span, deadline = spans.get(key), deadlines.get(key)
		row[f"{key}_days"] = flt(span["days"], 1) if span else None
		row[f"{key}_deadline"] = deadline
		row[f"{key}_overdue"] = overdue_days(span, deadline, now)
	return row


def overdue_days(span, deadline, now) -> float | None:
	"""Days past the deadline: the stage ended after it, or is still running after it."""
	if not span or not deadline:
		return None
	late = ((span["end"] or now) - deadline).total_seconds() / 86400
	return flt(late, 1) if late > 0 else None


def summary(data) -> list[dict]:
	out = []
	for key, stage in stages.STAGES.items():
		days = [row[f"{key}_days"] for row in data if row[f"{key}_days"] is not None]
		out.append(
			{
				"label": _("{0}: average days").format(stage["label"]),
				"value": f"{sum(days) / len(days):.1f}" if days else "-",
				"datatype": "Data",
			}
		)
		out.append(
			{
				"label": _("{0}: over the deadline").format(stage["label"]),
				"value": sum(1 for row in data if row[f"{key}_overdue"]),
				"datatype": "Int",
				"indicator": "Red",
			}
		)
	return out


def empty_message(filters) -> str:
	if filters.get("batch"):
		return _("No submissions in {0} for these filters.").format(filters.batch)
	return _("No submissions for these filters.")


def get_columns() -> list[dict]:
	return [
		# the enterprise's name opens the submission (report JS); its ID itself is not shown
		{"fieldname": "enterprise_name", "label": _("Enterprise Name"), "fieldtype": "Data", "width": 200},
		{"fieldname": "cultivation_type", "label": _("Cultivation Type"), "fieldtype": "Data", "width": 120},
		{"fieldname": "city", "label": _("City (市州)"), "fieldtype": "Data", "width": 100},
		{"fieldname": "status", "label": _("Status"), "fieldtype": "Data", "width": 90},
		{"fieldname": "submitted_at", "label": _("Submitted At"), "fieldtype": "Datetime", "width": 160},
		{
			"fieldname": "city_days",
			"label": _("City Review (days)"),
			"fieldtype": "Float",
			"precision": 1,
			"width": 110,
		},
		{
			"fieldname": "city_deadline",
			"label": _("City Review Deadline"),
			"fieldtype": "Datetime",
			"width": 150,
		},
		{
			"fieldname": "city_overdue",
			"label": _("City Review Overdue (days)"),
			"fieldtype": "Float",
			"precision": 1,
			"width": 120,
		},
		{
			"fieldname": "province_days",
			"label": _("Province Review (days)"),
			"fieldtype": "Float",
			"precision": 1,
			"width": 110,
		},
		{
			"fieldname": "province_deadline",
			"label": _("Province Review Deadline"),
			"fieldtype": "Datetime",
			"width": 150,
		},
		{
			"fieldname": "province_overdue",
			"label": _("Province Review Overdue (days)"),
			"fieldtype": "Float",
			"precision": 1,
			"width": 120,
		},
		{"fieldname": "name", "label": _("Cultivation Submission"), "fieldtype": "Data", "hidden": 1},
	]
