// The reviewers' work list: 企业 (the subject), 状态, 培育类型, 批次, 评定结果 in colour, 市州, 提交时间,
// how long the submission has been in its current stage, and the stage's deadline, marked 已超期 once
// passed. Each column is as wide as its field's "Columns" (Customize Form) says; on a phone the
// deadline shows beside the title and the status. The ID column would repeat nothing useful.
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
	gz_phone_columns: ["stage_deadline"],
	get_indicator(doc) {
		// a review stage an administrator added (GZ Review Stage) reads as the others: blue
		const stage = (frappe.boot.gz_review_stages || []).includes(doc.status) ? "blue" : "gray";
		return [doc.status, GZ_SUBMISSION_COLOURS[doc.status] || stage, `status,=,${doc.status}`];
	},
	onload(listview) {
		gz_department.sidebar_off_by_default(listview);
		gz_department.list_export_button(listview);
	},
	refresh(listview) {
		gz_department.fit_columns(listview);
	},
	formatters: {
		overall_result(value) {
			if (!value) return "";
			const met = value === "满足限定性指标";
			return `<span class="indicator-pill ${met ? "green" : "red"} no-indicator-dot" title="${frappe.utils.escape_html(value)}">${met ? "满足" : "不满足"}</span>`;
		},
		submitted_at: (value) => gz_department.short_time(value),
		stage_entered_at: (value) => gz_department.time_since(value),
		stage_deadline: (value) => gz_department.deadline(value),
	},
};
