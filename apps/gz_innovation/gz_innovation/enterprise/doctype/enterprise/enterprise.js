// Reviewers write the review comment and move the Workflow; what the enterprise declared is shown
// read-only (the server refuses a change anyway: enterprise/certification.py). 退回修改 and 驳回 ask
// for their reason in a dialog of their own (gz_desk.js gz_review_form.ask_reason).
frappe.ui.form.on("Enterprise", {
	refresh(frm) {
		gz_review_form.lock_declared(frm);
	},
	before_workflow_action(frm) {
		return gz_review_form.ask_reason(frm);
	},
});
