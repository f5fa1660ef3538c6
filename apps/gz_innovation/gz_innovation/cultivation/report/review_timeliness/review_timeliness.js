// 审核时效: how long each stage took, against the batch's deadlines (the open batch by default).
frappe.query_reports["Review Timeliness"] = {
	gz_report: true, // its text cells are written as text (gz_desk.js)
	filters: [
		{ fieldname: "batch", label: __("Batch"), fieldtype: "Link", options: "Cultivation Batch" },
		{ fieldname: "cultivation_type", label: __("Cultivation Type"), fieldtype: "Link", options: "Cultivation Type" },
		{ fieldname: "city", label: __("City (市州)"), fieldtype: "Link", options: "GZ Region", get_query: () => ({ filters: { region_type: "City" } }) },
		{ fieldname: "overdue_only", label: __("Only Items Over Their Deadline"), fieldtype: "Check" },
	],
	onload(report) {
		gz_department.default_batch(report);
		gz_department.export_button(report);
	},
	formatter(value, row, column, data, default_formatter) {
		if (data && column.fieldname === "enterprise_name" && data.name) {
			const href = `/app/cultivation-submission/${encodeURIComponent(data.name)}`;
			return `<a href="${href}">${frappe.utils.escape_html(value || "")}</a>`;
		}
		value = default_formatter(value, row, column, data);
		if (data && column.fieldname.endsWith("_overdue") && data[column.fieldname]) {
			return `<span class="indicator-pill red">${value}</span>`;
		}
		return value;
	},
};
