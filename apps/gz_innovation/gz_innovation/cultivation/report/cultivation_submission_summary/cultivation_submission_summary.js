// 培育申报汇总: the open batch by default; grouped by type, 市州, batch, state or result.
frappe.query_reports["Cultivation Submission Summary"] = {
	gz_report: true, // its text cells are written as text (gz_desk.js)
	filters: [
		{ fieldname: "batch", label: __("Batch"), fieldtype: "Link", options: "Cultivation Batch" },
		{
			fieldname: "group_by",
			label: __("Summarise By"),
			fieldtype: "Select",
			options: [
				{ value: "cultivation_type", label: __("Cultivation Type") },
				{ value: "city", label: __("City (市州)") },
				{ value: "batch", label: __("Batch") },
				{ value: "status", label: __("Status") },
				{ value: "overall_result", label: __("Overall Result") },
			],
			default: "cultivation_type",
		},
		{ fieldname: "cultivation_type", label: __("Cultivation Type"), fieldtype: "Link", options: "Cultivation Type" },
		{ fieldname: "city", label: __("City (市州)"), fieldtype: "Link", options: "GZ Region", get_query: () => ({ filters: { region_type: "City" } }) },
		{
			fieldname: "status",
			label: __("Status"),
			fieldtype: "Select",
			// the review stages as an administrator set them (GZ Review Stage, in Desk's boot)
			options: ["", "草稿", "已提交", ...(frappe.boot.gz_review_stages || ["市州初审", "省厅审核"]), "培育中", "培育完成", "退回修改"],
		},
		{ fieldname: "overall_result", label: __("Overall Result"), fieldtype: "Select", options: ["", "满足限定性指标", "不满足限定性指标"] },
	],
	onload(report) {
		gz_department.default_batch(report);
		gz_department.export_button(report);
	},
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		return data && data.is_total ? `<b>${value}</b>` : value;
	},
};
