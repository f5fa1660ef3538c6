// 审计日志 (System Managers): who did what, when and from where.
frappe.query_reports["Operation Audit Log"] = {
	gz_report: true, // its text cells are written as text (gz_desk.js)
	filters: [
		{ fieldname: "from_date", label: __("Date From"), fieldtype: "Date", default: frappe.datetime.add_days(frappe.datetime.get_today(), -30) },
		{ fieldname: "to_date", label: __("Date To"), fieldtype: "Date", default: frappe.datetime.get_today() },
		{ fieldname: "user", label: __("User"), fieldtype: "Link", options: "User" },
		{
			fieldname: "action",
			label: __("Action Type"),
			fieldtype: "Select",
			options: ["", "审核操作", "规则集变更", "批次变更", "数据导出", "PDF下载", "文件下载", "成员与角色", "原平台导入", "系统设置"],
		},
		{ fieldname: "reference_doctype", label: __("Audited Document Type"), fieldtype: "Link", options: "DocType" },
		{ fieldname: "reference_name", label: __("Audited Document"), fieldtype: "Data" },
		{ fieldname: "ip_address", label: __("IP Address"), fieldtype: "Data" },
	],
	onload(report) {
		gz_department.export_button(report);
	},
};
