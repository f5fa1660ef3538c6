frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Cultivation Submissions per Day"] = {
	method: "gz_innovation.cultivation.dashboard_chart_source.cultivation_submissions_per_day.cultivation_submissions_per_day.get",
	filters: [
		{
			fieldname: "batch",
			label: __("Batch"),
			fieldtype: "Link",
			options: "Cultivation Batch",
		},
	],
};
