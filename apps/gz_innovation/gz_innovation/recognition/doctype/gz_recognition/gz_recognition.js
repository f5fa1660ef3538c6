// 认定 in Desk: the certificate as PDF, and revocation with a reason (the server keeps the rest fixed).
frappe.ui.form.on("GZ Recognition", {
	refresh(frm) {
		if (frm.is_new()) return;
		frm.fields.forEach((field) => {
			if (field.df.fieldname) frm.set_df_property(field.df.fieldname, "read_only", 1);
		});
		frm.add_custom_button(__("Certificate (PDF)"), () =>
			window.open(`/api/method/gz_innovation.recognition.certificates.download?name=${encodeURIComponent(frm.doc.name)}`)
		);
		if (frm.doc.status === "有效" && frm.perm[0]?.write) {
			frm.add_custom_button(__("Revoke"), () =>
				frappe.prompt(
					{ fieldname: "reason", fieldtype: "Small Text", label: __("Reason for Revocation"), reqd: 1 },
					({ reason }) => frm.call("revoke", { reason }).then(() => frm.reload_doc()),
					__("Revoke this recognition? The certificate then verifies as revoked."),
					__("Revoke")
				)
			);
		}
		if (frm.doc.status === "已撤销") frm.set_intro(__("Revoked: the certificate verifies as revoked."), "red");
	},
});
