frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Cultivation Results by City"] = {
	method: "gz_innovation.cultivation.dashboard_chart_source.cultivation_results_by_city.cultivation_results_by_city.get",
	filters: [
		{
			fieldname: "batch",
			label: __("Batch"),
			fieldtype: "Link",
			options: "Cultivation Batch",
		},
	],
};
