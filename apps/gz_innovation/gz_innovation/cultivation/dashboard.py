"""Figures of the department's workspace (科技创新平台培育): the current batch, the number cards and the
chart sources. Every figure is read with frappe.get_list, so a 市州 reviewer's figures cover their
city only (the same criterion as their lists, enterprise/permissions.py); nothing is cached across
users.
"""

from collections import Counter

import frappe
from frappe import _
from frappe.utils import add_days, flt, get_datetime, getdate, now_datetime

from gz_innovation.cultivation.evaluation import OVERALL_NOT_SATISFIED, OVERALL_SATISFIED
from gz_innovation.cultivation.stages import review_states

DOCTYPE = "Cultivation Submission"
DRAFT = "草稿"
RETURNED = ("退回修改",)
CULTIVATING = ("培育中", "培育完成")
CERTIFIED = "已认证"
MAX_DAYS_SHOWN = 60  # a longer batch window shows its last 60 days


@frappe.whitelist()
def current_batch() -> str | None:
	"""The batch open now (the latest opened if several), else the latest batch that has opened."""
	now = now_datetime()
	for filters in (
		{"opens_at": ["<=", now], "closes_at": [">=", now]},
		{"opens_at": ["<=", now]},
	):
		names = frappe.get_all(
			"Cultivation Batch", filters=filters, order_by="opens_at desc", limit=1, pluck="name"
		)
		if names:
			return names[0]
	return None


def batch_of(filters) -> str | None:
	filters = frappe.parse_json(filters) if isinstance(filters, str) else filters
	if isinstance(filters, dict) and filters.get("batch"):
		return filters["batch"]
	return current_batch()


def submissions(batch: str | None, fields: list[str], **filters) -> list:
	"""Submissions of the batch the user may read (their scope), with `fields`."""
	if not batch:
		return []
	return frappe.get_list(DOCTYPE, filters={"batch": batch, **filters}, fields=fields, limit_page_length=0)


def status_counts(batch: str | None) -> Counter:
	return Counter(row.status for row in submissions(batch, ["status"]))


def list_route(batch: str | None, statuses) -> tuple[list, dict]:
	options = {"status": ["in", list(statuses)]}
	if batch:
		options["batch"] = batch
	return ["List", DOCTYPE, "List"], options


def state_card(statuses) -> dict:
	batch = current_batch()
	counts = status_counts(batch)
	route, options = list_route(batch, statuses)
	return {
		"value": sum(counts[s] for s in statuses),
		"fieldtype": "Int",
		"route": route,
		"route_options": options,
	}


# --- number cards (type Custom: Desk calls these with the card's filters) --------------------------


@frappe.whitelist()
def submitted_card(filters=None) -> dict:
	"""Submitted applications of the open batch (every state but 草稿)."""
	return state_card((*review_states(), *RETURNED, *CULTIVATING))


@frappe.whitelist()
def under_review_card(filters=None) -> dict:
	return state_card(review_states())


@frappe.whitelist()
def returned_card(filters=None) -> dict:
	return state_card(RETURNED)


@frappe.whitelist()
def cultivating_card(filters=None) -> dict:
	return state_card(CULTIVATING)


@frappe.whitelist()
def satisfied_share_card(filters=None) -> dict:
	"""Share of the evaluated applications of the open batch that meet the restrictive indicators."""
	batch = current_batch()
	rows = submissions(batch, ["overall_result"], status=["!=", DRAFT])
	evaluated = [row for row in rows if row.overall_result in (OVERALL_SATISFIED, OVERALL_NOT_SATISFIED)]
	satisfied = sum(1 for row in evaluated if row.overall_result == OVERALL_SATISFIED)
	route, options = list_route(batch, (*review_states(), *RETURNED, *CULTIVATING))
	options["overall_result"] = OVERALL_SATISFIED
	return {
		"value": flt(satisfied * 100 / len(evaluated), 1) if evaluated else 0,
		"fieldtype": "Percent",
		"route": route,
		"route_options": options,
	}


@frappe.whitelist()
def certified_enterprises_card(filters=None) -> dict:
	count = len(
		frappe.get_list(
			"Enterprise", filters={"certification_status": CERTIFIED}, pluck="name", limit_page_length=0
		)
	)
	return {
		"value": count,
		"fieldtype": "Int",
		"route": ["List", "Enterprise", "List"],
		"route_options": {"certification_status": CERTIFIED},
	}


# --- chart sources ---------------------------------------------------------------------------------


def per_day(filters=None) -> dict:
	"""Applications submitted per day across the batch window (up to today)."""
	batch = batch_of(filters)
	if not batch:
		return {"labels": [], "datasets": [{"name": _("Submitted"), "values": []}]}
	opens_at, closes_at = frappe.db.get_value("Cultivation Batch", batch, ["opens_at", "closes_at"])
	first, last = getdate(opens_at), min(getdate(closes_at), getdate(now_datetime()))
	if (last - first).days >= MAX_DAYS_SHOWN:
		first = add_days(last, -(MAX_DAYS_SHOWN - 1))
	days = Counter(
		getdate(row.submitted_at)
		for row in submissions(batch, ["submitted_at"], status=["!=", DRAFT])
		if row.submitted_at
	)
	labels, values = [], []
	day = first
	while day <= last:
		labels.append(day.strftime("%m-%d"))
		values.append(days.get(day, 0))
		day = add_days(day, 1)
	return {"labels": labels, "datasets": [{"name": _("Submitted"), "values": values}]}


def results_by(field: str, filters=None, order=None) -> dict:
	"""Submitted applications of the batch by `field`, as two datasets: meeting and not meeting the
	restrictive indicators."""
	batch = batch_of(filters)
	rows = submissions(batch, [field, "overall_result"], status=["!=", DRAFT])
	groups = sorted({row.get(field) or _("Not set") for row in rows}, key=order or (lambda g: g))
	satisfied = Counter(
		(row.get(field) or _("Not set")) for row in rows if row.overall_result == OVERALL_SATISFIED
	)
	not_satisfied = Counter(
		(row.get(field) or _("Not set")) for row in rows if row.overall_result != OVERALL_SATISFIED
	)
	return {
		"labels": groups,
		"datasets": [
			{"name": OVERALL_SATISFIED, "values": [satisfied[g] for g in groups]},
			{"name": OVERALL_NOT_SATISFIED, "values": [not_satisfied[g] for g in groups]},
		],
	}


def city_order():
	"""Cities in the order of the region master (Guizhou's official order)."""
	cities = frappe.get_all(
		"GZ Region", filters={"region_type": "City"}, order_by="creation asc, name asc", pluck="name"
	)
	position = {city: i for i, city in enumerate(cities)}
	return lambda city: (position.get(city, len(position)), city)


def elapsed_days(since) -> float | None:
	return (now_datetime() - get_datetime(since)).total_seconds() / 86400 if since else None


@frappe.whitelist()
def current_rule_set() -> str | None:
	"""The first rule set of the current batch (by type), for the indicator analysis' default."""
	batch = current_batch()
	names = frappe.get_list(
		"Cultivation Rule Set",
		filters={"batch": batch},
		order_by="cultivation_type asc",
		limit=1,
		pluck="name",
	)
	return names[0] if names else None
