"""企业认证统计: enterprises by 市州 and certification state, with a total row. A 市州 reviewer sees
their city only (the enterprises they may read); cities without enterprises show as zero rows."""

from collections import Counter, defaultdict

import frappe
from frappe import _

from gz_innovation.enterprise.permissions import FULL_ACCESS, visible_scope
from gz_innovation.enterprise.setup import STATES
from gz_innovation.utils import filter_date


def execute(filters=None):
	filters = frappe._dict(filters or {})
	states = [state for state, _style in STATES]
	columns = get_columns(states)
	conditions = {"city": filters.city} if filters.get("city") else {}
	if from_date := filter_date(filters, "from_date", "Submitted From"):
		conditions["certification_submitted_at"] = [">=", from_date]
	# Counted here, not in SQL: the rows are those the user may list (Frappe's permission query), and
	# no SQL function text goes through the query builder (Frappe 16 refuses such strings).
	rows = frappe.get_list(
		"Enterprise",
		filters=conditions,
		fields=["city", "certification_status", "is_legacy"],
		limit_page_length=0,
		order_by=None,
	)
	cities = scope_cities(filters)
	groups = defaultdict(Counter, {city: Counter() for city in cities})  # a zero row for each city in scope
	for row in rows:
		counts = groups[row.city or _("Not set")]
		counts[row.certification_status or states[0]] += 1
		counts["total"] += 1
		if row.is_legacy:
			counts["legacy"] += 1
	if not groups:
		return columns, [], _("No enterprises for these filters.")
	order = {city: i for i, city in enumerate(cities)}
	data = [
		as_row(city, counts, states)
		for city, counts in sorted(groups.items(), key=lambda g: (order.get(g[0], len(order)), g[0]))
	]
	total = Counter()
	for counts in groups.values():
		total.update(counts)
	data.append({**as_row(_("Total of All"), total, states), "is_total": 1})
	return columns, data


def scope_cities(filters) -> list[str]:
	"""The cities the user's rows cover (their scope, narrowed by the city filter), in the region
	master's order."""
	scope = visible_scope(frappe.session.user)
	cities = frappe.get_all(
		"GZ Region", filters={"region_type": "City"}, order_by="creation asc, name asc", pluck="name"
	)
	if scope is not FULL_ACCESS:
		cities = [city for city in cities if city in scope["cities"]]
	return [city for city in cities if city == filters.city] if filters.get("city") else cities


def as_row(city, counts: Counter, states) -> dict:
	row = {"city": city, "total": counts["total"], "legacy": counts["legacy"]}
	row.update({f"state_{i}": counts[state] for i, state in enumerate(states)})
	return row


def get_columns(states) -> list[dict]:
	columns = [{"fieldname": "city", "label": _("City (市州)"), "fieldtype": "Data", "width": 200}]
	columns += [
		{"fieldname": f"state_{i}", "label": state, "fieldtype": "Int", "width": 90}
		for i, state in enumerate(states)
	]
	columns += [
		{"fieldname": "total", "label": _("Total of All"), "fieldtype": "Int", "width": 90},
		{
			"fieldname": "legacy",
			"label": _("Of which imported from the previous platform"),
			"fieldtype": "Int",
			"width": 180,
		},
	]
	return columns
