// 专家评审 in Desk, for the drawn expert: declare first (the figures appear once "无利益冲突" is saved),
// then verify each figure, give a reason for each cut, score the qualitative items and submit.
frappe.ui.form.on("GZ Expert Review", {
	refresh(frm) {
		const intro = {
			待声明: [__("Declare your interests and save: the application's figures appear once you declare no conflict."), "blue"],
			评审中: [__("Verify each figure against its evidence; a value below the declared one needs a reason. Score the qualitative items, save, then submit."), "blue"],
			已提交: [__("Submitted: this review is final."), "green"],
			已回避: [__("You declared a conflict: a reserve expert reviews this application."), "orange"],
		}[frm.doc.status];
		if (intro) frm.set_intro(...intro);
		// The indicators come from the scheme: rows are neither added nor removed here.
		frm.set_df_property("lines", "cannot_add_rows", true);
		frm.set_df_property("lines", "cannot_delete_rows", true);
		if (["已提交", "已回避"].includes(frm.doc.status)) {
			frm.disable_save();
			frm.set_read_only();
		}
		if (frm.doc.status === "评审中" && frm.perm[0]?.write) {
			frm.add_custom_button(__("Submit Scores"), () =>
				frappe.confirm(__("Submit your scores? A submitted review cannot be changed."), async () => {
					if (frm.is_dirty()) await frm.save();
					await frm.call("submit_scores");
					frm.reload_doc();
				})
			).addClass("btn-primary");
		}
	},
});
