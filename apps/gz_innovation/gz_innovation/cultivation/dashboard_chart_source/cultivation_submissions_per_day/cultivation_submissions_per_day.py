"""Chart source: Submissions per day across the batch window (cultivation/dashboard.py)."""

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
	return dashboard.per_day(filters)
