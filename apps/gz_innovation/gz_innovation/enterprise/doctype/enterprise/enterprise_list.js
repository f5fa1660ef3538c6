// The certification queue: the enterprise (subject), 认证状态 (the status column, coloured), 统一社会信用代码,
// 市州, 提交时间. The ID is the 统一社会信用代码 already shown.
const GZ_CERTIFICATION_COLOURS = { 草稿: "gray", 审核中: "blue", 退回修改: "orange", 已认证: "green", 驳回: "red" };

frappe.listview_settings["Enterprise"] = {
	hide_name_column: true,
	add_fields: ["certification_status"],
	get_indicator(doc) {
		const state = doc.certification_status;
		return state ? [state, GZ_CERTIFICATION_COLOURS[state] || "gray", `certification_status,=,${state}`] : null;
	},
};
