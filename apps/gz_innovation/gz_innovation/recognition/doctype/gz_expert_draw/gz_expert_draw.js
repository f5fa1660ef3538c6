// 专家抽取 in Desk: draw (avoidance first, then the seeded draw, sealed), check the record against
// its seed, countersign as a second administrator, and see the panel's scores once reviews come in.
frappe.ui.form.on("GZ Expert Draw", {
	refresh(frm) {
		const can_write = frm.perm[0]?.write && !frm.is_new();
		if (frm.doc.status !== "待抽取") {
			// Drawn: the record stays as drawn (the server refuses any change); only the review
			// deadline may still move.
			frm.fields.forEach((field) => {
				if (field.df.fieldname && field.df.fieldname !== "review_deadline") frm.set_df_property(field.df.fieldname, "read_only", 1);
			});
		}
		if (can_write && frm.doc.status === "待抽取") {
			frm.add_custom_button(__("Draw Experts"), () =>
				frappe.confirm(__("Draw now? The result is recorded and cannot be drawn again."), () =>
					frm.call("draw").then(() => frm.reload_doc())
				)
			).addClass("btn-primary");
		}
		if (frm.doc.status !== "待抽取" && !frm.is_new()) {
			frm.add_custom_button(__("Verify the Record"), () =>
				frm.call("reproduce").then(({ message: r }) =>
					frappe.msgprint({
						title: __("Verify the Record"),
						indicator: r.same_result && r.hash_matches ? "green" : "red",
						message: r.same_result && r.hash_matches
							? __("The seed and the candidates give the same experts, and the record matches its hash.")
							: __("The record does not match its draw: it was changed after drawing."),
					})
				)
			);
			frm.add_custom_button(__("Panel Scores"), () => gz_draw.panel(frm));
		}
		if (can_write && frm.doc.status === "已复核" && !frm.doc.results_released_at) {
			frm.add_custom_button(__("Release Results"), () =>
				frappe.confirm(__("Release the results? The enterprise then sees each figure as declared and as verified, with the reasons for cuts; experts are shown by number, never by name."), () =>
					frm.call("release_results").then(() => frm.reload_doc())
				)
			).addClass("btn-primary");
		}
		if (frm.doc.results_released_at) {
			frm.set_intro(__("Results released on {0}: the enterprise sees them in its submission details.", [frappe.datetime.str_to_user(frm.doc.results_released_at)]), "green");
		}
		if (can_write && frm.doc.status === "已抽取") {
			frm.add_custom_button(__("Countersign"), () =>
				frappe.confirm(__("Countersign this draw? The drawn experts are then asked to review."), () =>
					frm.call("countersign").then(() => frm.reload_doc())
				)
			).addClass("btn-primary");
			if (frm.doc.drawn_by === frappe.session.user) {
				frm.set_intro(__("Drawn by you: another administrator countersigns it."), "orange");
			}
		}
	},
	async enterprise(frm) {
		if (!frm.doc.enterprise || (frm.doc.strata || []).length) return;
		const { message } = await frappe.db.get_value("Enterprise", frm.doc.enterprise, "industry");
		if (message?.industry && (await frappe.db.exists("GZ Industry", message.industry))) {
			frm.add_child("strata", { industry: message.industry, panel_size: 3, reserve_size: 2 });
			frm.refresh_field("strata");
		}
	},
});

window.gz_draw = {
	esc: (s) => frappe.utils.escape_html(String(s ?? "")),
	async panel(frm) {
		const { message: p } = await frm.call("panel");
		if (!p.experts.length) {
			frappe.msgprint(__("No expert has submitted a review yet."));
			return;
		}
		const rows = p.experts
			.map((e) => `<tr><td>${this.esc(e.expert_name)}</td><td class="text-right">${(e.total ?? 0).toFixed(2)}</td>
				<td class="text-right">${e.deviation >= 0 ? "+" : ""}${(e.deviation ?? 0).toFixed(2)}</td></tr>`)
			.join("");
		frappe.msgprint({
			title: __("Panel Scores"),
			message: `<p>${__("Panel score {0} ({1})", [p.score.toFixed(2), this.esc(__(p.rule))])}</p>
				<table class="table table-bordered table-sm"><thead><tr><th>${__("Expert")}</th><th>${__("Expert Total")}</th>
				<th>${__("Deviation from the Panel")}</th></tr></thead><tbody>${rows}</tbody></table>`,
		});
	},
};
