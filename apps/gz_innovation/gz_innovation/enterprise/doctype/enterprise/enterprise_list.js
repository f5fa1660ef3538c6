// The certification queue: the enterprise (subject), 统一社会信用代码, 市州, 认证状态, 提交时间. The ID is the
// 统一社会信用代码 already shown.
frappe.listview_settings["Enterprise"] = {
	hide_name_column: true,
};
