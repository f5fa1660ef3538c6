"""Chart source: Results by cultivation type (cultivation/dashboard.py)."""

import frappe

from gz_innovation.cultivation import dashboard


@frappe.whitelist()
def get(
	chart_name=None,
	chart=None,
	no_cache=None,
	filters=None,
	from_date=None,
	to_date=None,
	timespan=None,
	time_interval=None,
	heatmap_year=None,
	refresh=None,
) -> dict:
	return dashboard.results_by("cultivation_type", filters)
