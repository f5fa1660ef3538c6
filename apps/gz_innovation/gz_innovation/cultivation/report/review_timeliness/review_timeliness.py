"""审核时效: per submitted application, how long each review stage took (GZ Review Stage: 市州初审,
省厅审核, or the stages an administrator set; the latest submission's cycle; a stage still running
counts until now) against its deadline (a batch date, or the stage's days after it started), and
which items are over it. Only the applications the user may read are listed."""

import frappe
from frappe import _
from frappe.utils import add_days, flt, get_datetime, now_datetime

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
		if filters.get("overdue_only") and not any(row[f"{key}_overdue"] for key in stages.all_stages()):
			continue
		data.append(row)
	if not data:
		return columns, [], _("No application is over its deadline.")
	return columns, data, None, None, summary(data)


def batch_deadlines(batches) -> dict:
	"""{batch: {stage key: the batch's deadline of the stage, or None (none, or a stage in days)}}."""
	route = stages.all_stages()
	fields = sorted({stage["deadline_field"] for stage in route.values() if stage["deadline_field"]})
	rows = frappe.get_all(
		"Cultivation Batch", filters={"name": ["in", list(batches)]}, fields=["name", *fields]
	)
	return {
		row.name: {
			key: get_datetime(row.get(stage["deadline_field"]))
			if stage["deadline_field"] and row.get(stage["deadline_field"])
			else None
			for key, stage in route.items()
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
	for key, stage in stages.all_stages().items():
		span, deadline = spans.get(key), deadlines.get(key)
		if deadline is None and span and stage["deadline_days"]:
			deadline = add_days(span["start"], stage["deadline_days"])
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
	for key, stage in stages.all_stages().items():
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
		*(column for key, stage in stages.all_stages().items() for column in stage_columns(key, stage)),
		{"fieldname": "name", "label": _("Cultivation Submission"), "fieldtype": "Data", "hidden": 1},
	]


def stage_columns(key: str, stage: dict) -> list[dict]:
	"""Days taken, deadline and days over it, for one stage (the manual's two keep their headings)."""
	label = STAGE_HEADINGS.get(key)
	return [
		{
			"fieldname": f"{key}_days",
			"label": _(label[0]) if label else _("{0} (days)").format(stage["label"]),
			"fieldtype": "Float",
			"precision": 1,
			"width": 110,
		},
		{
			"fieldname": f"{key}_deadline",
			"label": _(label[1]) if label else _("{0}: deadline").format(stage["label"]),
			"fieldtype": "Datetime",
			"width": 150,
		},
		{
			"fieldname": f"{key}_overdue",
			"label": _(label[2]) if label else _("{0}: overdue (days)").format(stage["label"]),
			"fieldtype": "Float",
			"precision": 1,
			"width": 120,
		},
	]


STAGE_HEADINGS = {
	"city": ("City Review (days)", "City Review Deadline", "City Review Overdue (days)"),
	"province": ("Province Review (days)", "Province Review Deadline", "Province Review Overdue (days)"),
}
