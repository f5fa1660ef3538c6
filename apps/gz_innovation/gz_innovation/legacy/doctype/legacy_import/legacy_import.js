// Copyright (c) 2026, gz_innovation developers
// For license information, please see license.txt

frappe.ui.form.on("Legacy Import", {
	refresh(frm) {
		if (frm.is_new() || ["Queued", "Running"].includes(frm.doc.status)) {
			if (frm.doc.status === "Queued" || frm.doc.status === "Running") {
				frm.dashboard.set_headline(__("The import is running in the background; this page updates when it ends."));
			}
			return;
		}
		const label = frm.doc.status === "Pending" ? __("Start Import") : __("Import Again");
		frm.add_custom_button(label, () => {
			frappe.call({
				method: "gz_innovation.legacy.imports.start",
				args: { name: frm.doc.name },
				freeze: true,
			}).then(() => frm.reload_doc());
		}).addClass("btn-primary");
		if (frm.doc.rows_skipped || frm.doc.rows_with_warnings) {
			frm.dashboard.set_headline(
				__("{0} rows skipped, {1} rows with warnings: see the table below and the report file.", [
					frm.doc.rows_skipped || 0,
					frm.doc.rows_with_warnings || 0,
				])
			);
		}
	},
});
