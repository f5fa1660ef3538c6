frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Cultivation Results by Type"] = {
	method: "gz_innovation.cultivation.dashboard_chart_source.cultivation_results_by_type.cultivation_results_by_type.get",
	filters: [
		{
			fieldname: "batch",
			label: __("Batch"),
			fieldtype: "Link",
			options: "Cultivation Batch",
		},
	],
};
