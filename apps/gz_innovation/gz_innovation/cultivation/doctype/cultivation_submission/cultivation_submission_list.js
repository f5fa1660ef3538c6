// The reviewers' work list: 企业 (the subject), 培育类型, 批次, 市州, 评定结果 in colour, 状态, 提交时间 and
// how long the submission has been in its current stage. The ID column would repeat nothing useful.
const GZ_SUBMISSION_COLOURS = {
	草稿: "gray",
	已提交: "blue",
	市州初审: "blue",
	省厅审核: "purple",
	培育中: "green",
	培育完成: "green",
	退回修改: "orange",
	不予推荐: "red",
};

frappe.listview_settings["Cultivation Submission"] = {
	hide_name_column: true,
	get_indicator(doc) {
		return [doc.status, GZ_SUBMISSION_COLOURS[doc.status] || "gray", `status,=,${doc.status}`];
	},
	formatters: {
		overall_result(value) {
			if (!value) return "";
			const met = value === "满足限定性指标";
			return `<span class="indicator-pill ${met ? "green" : "red"} no-indicator-dot" title="${frappe.utils.escape_html(value)}">${met ? "满足" : "不满足"}</span>`;
		},
		submitted_at(value) {
			return value ? `<span title="${frappe.datetime.str_to_user(value)}">${moment(value).format("MM-DD HH:mm")}</span>` : "";
		},
		stage_entered_at(value) {
			if (!value) return "";
			// Both times in the system's time zone (Asia/Shanghai), whatever the browser's.
			const hours = Math.max(moment(frappe.datetime.system_datetime()).diff(moment(value), "hours"), 0);
			const text = hours >= 24 ? __("{0} days ago", [Math.floor(hours / 24)]) : __("{0} hours ago", [hours]);
			return `<span title="${frappe.datetime.str_to_user(value)}">${text}</span>`;
		},
	},
};
