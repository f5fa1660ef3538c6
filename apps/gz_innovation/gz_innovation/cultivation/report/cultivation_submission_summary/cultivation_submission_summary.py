"""培育申报汇总: submissions counted by batch, type, 市州, state or result, with a total row.

Rows are the groups of the chosen dimension; columns are the states and the two results. Only the
submissions the user may read are counted (a 市州 reviewer: their city)."""

from collections import Counter, defaultdict

import frappe
from frappe import _
from frappe.utils import flt

from gz_innovation.cultivation import dashboard
from gz_innovation.cultivation.evaluation import (
	NOT_SATISFIED,
	OVERALL_NOT_SATISFIED,
	OVERALL_SATISFIED,
	SATISFIED,
)
from gz_innovation.cultivation.setup import STATES

DIMENSIONS = {
	"batch": "Batch",
	"cultivation_type": "Cultivation Type",
	"city": "City (市州)",
	"status": "Status",
	"overall_result": "Overall Result",
}
FILTER_FIELDS = ("batch", "cultivation_type", "city", "status", "overall_result")
STATE_KEYS = {state: index for index, (state, _style) in enumerate(STATES)}


def execute(filters=None):
	filters = frappe._dict(filters or {})
	dimension = filters.get("group_by") if filters.get("group_by") in DIMENSIONS else "cultivation_type"
	states = [state for state, _style in STATES]
	columns = get_columns(dimension, states)
	# Counted here, not in SQL: the rows are those the user may list (Frappe's permission query), and
	# no SQL function text goes through the query builder (Frappe 16 refuses such strings).
	rows = frappe.get_list(
		"Cultivation Submission",
		filters={field: filters[field] for field in FILTER_FIELDS if filters.get(field)},
		fields=[f"`{dimension}` as `group_value`", "status", "overall_result"],
		limit_page_length=0,
		order_by=None,
	)
	if not rows:
		return columns, [], empty_message(filters)
	groups: dict = defaultdict(Counter)
	for row in rows:
		groups[row.group_value or _("Not set")].update(count_keys(row, states))
	order = dashboard.city_order() if dimension == "city" else None
	data = [
		as_row(group, counts, states) for group, counts in sorted(groups.items(), key=sort_key(order, states))
	]
	total = Counter()
	for counts in groups.values():
		total.update(counts)
	data.append({**as_row(_("Total of All"), total, states), "is_total": 1})
	chart = {
		"data": {
			"labels": [row["group_value"] for row in data[:-1]],
			"datasets": [
				{"name": OVERALL_SATISFIED, "values": [row["satisfied"] for row in data[:-1]]},
				{"name": OVERALL_NOT_SATISFIED, "values": [row["not_satisfied"] for row in data[:-1]]},
			],
		},
		"type": "bar",
		"barOptions": {"stacked": 1},
		"colors": ["#29a745", "#e24c4b"],
	}
	return columns, data, None, chart


def count_keys(row, states) -> Counter:
	counts = Counter({row.status: 1})
	if row.status != states[0]:  # a draft is not submitted yet
		counts["submitted"] += 1
		if row.overall_result == OVERALL_SATISFIED:
			counts["satisfied"] += 1
		elif row.overall_result == OVERALL_NOT_SATISFIED:
			counts["not_satisfied"] += 1
	return counts


def as_row(group, counts: Counter, states) -> dict:
	evaluated = counts["satisfied"] + counts["not_satisfied"]
	row = {"group_value": group}
	row.update({state_key(state): counts[state] for state in states})
	row.update(
		{
			"submitted": counts["submitted"],
			"satisfied": counts["satisfied"],
			"not_satisfied": counts["not_satisfied"],
			"satisfied_share": flt(counts["satisfied"] * 100 / evaluated, 1) if evaluated else None,
		}
	)
	return row


def sort_key(order, states):
	if order:
		return lambda item: order(item[0])
	return lambda item: (states.index(item[0]) if item[0] in states else len(states), str(item[0]))


def state_key(state: str) -> str:
	return "state_" + str(STATE_KEYS.get(state, state))


def get_columns(dimension: str, states) -> list[dict]:
	columns = [
		{"fieldname": "group_value", "label": _(DIMENSIONS[dimension]), "fieldtype": "Data", "width": 140}
	]
	columns += [{"fieldname": state_key(s), "label": s, "fieldtype": "Int", "width": 92} for s in states]
	columns += [
		{"fieldname": "submitted", "label": _("Submitted (total)"), "fieldtype": "Int", "width": 100},
		{"fieldname": "satisfied", "label": SATISFIED, "fieldtype": "Int", "width": 70},
		{"fieldname": "not_satisfied", "label": NOT_SATISFIED, "fieldtype": "Int", "width": 70},
		{
			"fieldname": "satisfied_share",
			"label": _("Share Meeting (%)"),
			"fieldtype": "Float",
			"precision": 1,
			"width": 112,
		},
	]
	return columns


def empty_message(filters) -> str:
	if filters.get("batch"):
		return _("No submissions in {0} for these filters.").format(filters.batch)
	return _("No submissions for these filters.")
