// 企业认证统计: enterprises by 市州 and certification state.
frappe.query_reports["Enterprise Certification Statistics"] = {
	gz_report: true, // its text cells are written as text (gz_desk.js)
	filters: [
		{ fieldname: "city", label: __("City (市州)"), fieldtype: "Link", options: "GZ Region", get_query: () => ({ filters: { region_type: "City" } }) },
		{ fieldname: "from_date", label: __("Submitted From"), fieldtype: "Date" },
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		return data && data.is_total ? `<b>${value}</b>` : value;
	},
	onload(report) {
		gz_department.export_button(report);
	},
};
