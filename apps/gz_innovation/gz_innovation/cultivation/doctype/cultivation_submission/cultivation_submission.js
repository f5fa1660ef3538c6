// Reviewers write the review comment and move the Workflow; what the enterprise declared and the
// evaluation are shown read-only (the server refuses a change anyway: cultivation/submission.py).
// 退回修改 asks for its reason in a dialog of its own (gz_desk.js gz_review_form.ask_reason).
frappe.ui.form.on("Cultivation Submission", {
	refresh(frm) {
		gz_review_form.lock_declared(frm);
	},
	before_workflow_action(frm) {
		return gz_review_form.ask_reason(frm);
	},
});
