// Reviewers write the review comment and move the Workflow; what the enterprise declared and the
// evaluation are shown read-only (the server refuses a change anyway: cultivation/submission.py).
frappe.ui.form.on("Cultivation Submission", {
	refresh(frm) {
		gz_review_form.lock_declared(frm);
	},
});
