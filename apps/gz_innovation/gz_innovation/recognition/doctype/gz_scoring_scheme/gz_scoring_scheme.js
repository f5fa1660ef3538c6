// 评分方案 in Desk: 插入字段 puts a field of the form into an indicator's formula; 试算 shows what the
// scheme as edited gives the manual's example, indicator by indicator, refreshed as you edit.
const SCORING = "gz_innovation.recognition.scoring.";

frappe.ui.form.on("GZ Scoring Scheme", {
	refresh(frm) {
		if (!frm.perm[0]?.write) return;
		frm.add_custom_button(__("Insert Field"), () => gz_scoring.pick_field(frm));
		gz_scoring.trial(frm);
	},
	scale: (frm) => gz_scoring.schedule(frm),
	gate: (frm) => gz_scoring.schedule(frm),
});

const refresh_score = (frm) => gz_scoring.schedule(frm);
frappe.ui.form.on("GZ Scoring Indicator", {
	label: refresh_score,
	kind: refresh_score,
	expression: refresh_score,
	weight: refresh_score,
	basic_requirement: refresh_score,
	full_requirement: refresh_score,
	unit: refresh_score,
	decimals: refresh_score,
	indicators_add: refresh_score,
	indicators_remove: refresh_score,
});

window.gz_scoring = {
	esc: (s) => frappe.utils.escape_html(String(s ?? "")),

	async pick_field(frm) {
		const rows = (frm.doc.indicators || []).filter((r) => r.kind === "定量");
		if (!rows.length) {
			frappe.msgprint(__("Add a quantitative indicator first, then insert fields into its formula."));
			return;
		}
		const { message: usable } = await frappe.call({ method: "gz_innovation.cultivation.rule_editor.usable_fields" });
		const dialog = new frappe.ui.Dialog({
			title: __("Insert Field"),
			size: "large",
			fields: [
				{
					fieldname: "row",
					fieldtype: "Select",
					label: __("Insert Into"),
					options: rows.map((r) => ({ value: r.name, label: `${r.idx} ${r.label || ""}` })),
					default: rows[rows.length - 1].name,
				},
				{ fieldname: "search", fieldtype: "Data", label: __("Search by Chinese name or field name") },
				{ fieldname: "list", fieldtype: "HTML" },
			],
		});
		const render = () => {
			const term = (dialog.get_value("search") || "").trim().toLowerCase();
			const shown = usable.filter((f) => f.in_formula && (!term || f.label.toLowerCase().includes(term) || f.fieldname.includes(term)));
			dialog.fields_dict.list.$wrapper.html(`<table class="table table-bordered table-sm"><thead><tr><th>${__("Field")}</th><th>${__("Unit")}</th><th>${__("Field Name")}</th></tr></thead><tbody>${shown
				.map((f) => `<tr><td><a href="#" data-field="${this.esc(f.fieldname)}">${this.esc(f.label)}</a></td><td>${this.esc(f.unit)}</td><td><code>${this.esc(f.fieldname)}</code></td></tr>`)
				.join("")}</tbody></table>`);
		};
		dialog.fields_dict.search.$input.on("input", render);
		dialog.fields_dict.list.$wrapper.on("click", "a", (e) => {
			e.preventDefault();
			const row = (frm.doc.indicators || []).find((r) => r.name === dialog.get_value("row"));
			const field = $(e.currentTarget).attr("data-field");
			const text = (row.expression || "").trim();
			frappe.model.set_value(row.doctype, row.name, "expression", text ? `${text} ${field}` : field);
			frappe.show_alert({ message: __("Inserted {0}", [field]), indicator: "green" });
			dialog.hide();
		});
		render();
		dialog.show();
	},

	schedule(frm) {
		clearTimeout(frm.gz_score_timer);
		frm.gz_score_timer = setTimeout(() => this.trial(frm), 400);
	},

	async trial(frm) {
		const wrapper = frm.fields_dict.preview?.$wrapper;
		if (!wrapper || !frm.perm[0]?.write) return;
		const asked = (frm.gz_score_asked = (frm.gz_score_asked || 0) + 1);
		const { message: run } = await frappe.call({ method: SCORING + "trial_score", args: { doc: frm.doc }, type: "POST" });
		if (asked !== frm.gz_score_asked) return;
		if (run.error) {
			wrapper.html(`<div class="alert alert-danger gz-score-error">${this.esc(run.error)}</div>`);
			return;
		}
		const s = run.score;
		const rows = s.lines
			.map((l) => `<tr><td>${l.seq}</td><td>${this.esc(l.label)}</td><td>${this.esc(l.kind)}</td><td>${this.esc(l.note)}</td>
				<td class="text-right">${l.kind === "定量" ? l.points : "-"} / ${l.weight}</td><td class="text-muted">${this.esc(l.raise_by)}</td></tr>`)
			.join("");
		const verdict = s.passes_gate
			? `<span class="indicator-pill green">${__("Self-score {0}: may be submitted", [s.self_score])}</span>`
			: `<span class="indicator-pill red">${__("Self-score {0}: below the gate of {1}", [s.self_score, s.gate])}</span>`;
		wrapper.html(`<p class="text-muted">${__("On the manual's example (企业技术中心, category 其他); nothing is saved.")}</p>
			<table class="table table-bordered table-sm gz-score-trial"><thead><tr><th>${__("No.")}</th><th>${__("Evaluation Indicator")}</th><th>${__("Kind")}</th>
			<th>${__("Figure")}</th><th>${__("Points")}</th><th>${__("What would raise it")}</th></tr></thead><tbody>${rows}</tbody></table><p>${verdict}</p>`);
	},
};
