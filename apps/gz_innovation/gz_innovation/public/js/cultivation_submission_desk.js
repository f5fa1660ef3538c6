// Desk: reviewers download the 申报书 (PDF) of a submission they may read; the server records it.
frappe.ui.form.on("Cultivation Submission", {
	refresh(frm) {
		if (frm.is_new()) return;
		frm.add_custom_button(__("Application PDF"), () => {
			const url = "/api/method/gz_innovation.cultivation.application.download?name=" + encodeURIComponent(frm.doc.name);
			window.open(url, "_blank");
		});
	},
});
