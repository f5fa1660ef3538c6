"""The previous platform's last indicator figures of an enterprise (Legacy Indicator Record)."""

import frappe


def latest_figures(enterprise: str, fields: list[str]) -> dict:
	"""The newest imported figures of the enterprise, limited to the given submission fields."""
	record = frappe.db.get_value(
		"Legacy Indicator Record", {"enterprise": enterprise}, "figures", order_by="year desc"
	)
	figures = frappe.parse_json(record or "{}") or {}
	return {k: v for k, v in figures.items() if k in fields}
