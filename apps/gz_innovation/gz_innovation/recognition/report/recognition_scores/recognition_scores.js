// 认定评分汇总: the experts' scores of the applications the user may read, by application, programme,
// 市州 or (administrators only) expert; exported to Excel with the page's Export button.
frappe.query_reports["Recognition Scores"] = {
	gz_report: true, // its text cells are written as text (gz_desk.js)
	filters: [
		{
			fieldname: "group_by",
			label: __("Summarise By"),
			fieldtype: "Select",
			options: ["申报", "申报类型", "市州", "专家"].map((value) => ({ value, label: __(value) })),
			default: "申报",
			reqd: 1,
		},
		{ fieldname: "batch", label: __("Batch"), fieldtype: "Link", options: "Cultivation Batch" },
		{ fieldname: "cultivation_type", label: __("Programme"), fieldtype: "Link", options: "Cultivation Type" },
		{ fieldname: "city", label: __("City (市州)"), fieldtype: "Link", options: "GZ Region", get_query: () => ({ filters: { region_type: "City" } }) },
	],
	onload(report) {
		gz_department.export_button(report);
	},
	formatter(value, row, column, data, default_formatter) {
		if (data && column.fieldname === "enterprise_name" && data.name) {
			const href = `/app/cultivation-submission/${encodeURIComponent(data.name)}`;
			return `<a href="${href}">${frappe.utils.escape_html(value || "")}</a>`;
		}
		return default_formatter(value, row, column, data);
	},
};
