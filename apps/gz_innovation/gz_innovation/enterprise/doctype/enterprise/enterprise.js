// Reviewers write the review comment and move the Workflow; what the enterprise declared is shown
// read-only (the server refuses a change anyway: enterprise/certification.py).
frappe.ui.form.on("Enterprise", {
	refresh(frm) {
		gz_review_form.lock_declared(frm);
	},
});
