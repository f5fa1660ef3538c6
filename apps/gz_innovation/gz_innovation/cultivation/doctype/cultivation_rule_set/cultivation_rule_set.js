// Rules edited without code (cultivation/rule_editor.py): 插入字段 lists every field a formula or a
// condition may use by its Chinese label and unit and inserts it where the cursor was; 试运行 shows each
// rule's result on a few submissions of the batch (or the manual's example), refreshed as you edit.
const RULE_EDITOR = "gz_innovation.cultivation.rule_editor.";
const EDITABLE_TEXT = ["expression", "condition"];

frappe.ui.form.on("Cultivation Rule Set", {
	refresh(frm) {
		if (!frm.perm[0]?.write) return;
		frm.add_custom_button(__("Insert Field"), () => gz_rule_editor.pick_field(frm));
		gz_rule_editor.track_cursor(frm);
		gz_rule_editor.trial_run(frm);
	},
	cultivation_type: (frm) => gz_rule_editor.schedule(frm),
	batch: (frm) => gz_rule_editor.schedule(frm),
});

const refresh_trial = (frm) => gz_rule_editor.schedule(frm);
frappe.ui.form.on("Cultivation Rule", {
	label: refresh_trial,
	expression: refresh_trial,
	operator: refresh_trial,
	threshold: refresh_trial,
	unit: refresh_trial,
	decimals: refresh_trial,
	rule_group: refresh_trial,
	condition: refresh_trial,
	// Frappe triggers a table's add, remove and delete (several rows) on the row's DocType.
	rules_add: refresh_trial,
	rules_remove: refresh_trial,
	rules_delete: refresh_trial,
});
frappe.ui.form.on("Cultivation Rule Group", {
	rule_group: refresh_trial,
	mode: refresh_trial,
	at_least: refresh_trial,
	condition: refresh_trial,
	groups_add: refresh_trial,
	groups_remove: refresh_trial,
	groups_delete: refresh_trial,
});

window.gz_rule_editor = {
	esc: (s) => frappe.utils.escape_html(String(s ?? "")),

	// The formula or condition box the administrator was in, and where the cursor stood.
	track_cursor(frm) {
		if (frm.gz_tracking) return;
		frm.gz_tracking = true;
		$(frm.wrapper).on("focusout keyup click", "[data-fieldname]", (e) => {
			const input = e.target;
			const fieldname = $(input).attr("data-fieldname");
			const row = $(input).closest(".grid-row").attr("data-name");
			const grid = $(input).closest("[data-fieldname='rules'], [data-fieldname='groups']").attr("data-fieldname");
			if (!row || !grid || !EDITABLE_TEXT.includes(fieldname) || !("selectionStart" in input)) return;
			frm.gz_cursor = { grid, row, fieldname, at: input.selectionStart };
		});
	},

	targets(frm) {
		const targets = [];
		(frm.doc.rules || []).forEach((r) => {
			const name = `${r.idx} ${r.label || ""}`.trim();
			targets.push({ value: `rules|${r.name}|expression`, label: __("Rule {0}: formula", [name]) });
			targets.push({ value: `rules|${r.name}|condition`, label: __("Rule {0}: applies when", [name]) });
		});
		(frm.doc.groups || []).forEach((g) => {
			targets.push({ value: `groups|${g.name}|condition`, label: __("Group {0}: applies when", [g.rule_group || g.idx]) });
		});
		return targets;
	},

	async pick_field(frm) {
		const { message: usable } = await frappe.call({ method: RULE_EDITOR + "usable_fields" });
		const targets = this.targets(frm);
		if (!targets.length) {
			frappe.msgprint(__("Add a rule first, then insert fields into its formula or condition."));
			return;
		}
		const cursor = frm.gz_cursor;
		const dialog = new frappe.ui.Dialog({
			title: __("Insert Field"),
			size: "large",
			fields: [
				{
					fieldname: "target",
					fieldtype: "Select",
					label: __("Insert Into"),
					options: targets,
					default: cursor ? `${cursor.grid}|${cursor.row}|${cursor.fieldname}` : targets[0].value,
				},
				{ fieldname: "search", fieldtype: "Data", label: __("Search by Chinese name or field name") },
				{ fieldname: "list", fieldtype: "HTML" },
			],
		});
		const render = () => {
			const into_formula = (dialog.get_value("target") || "").endsWith("|expression");
			const term = (dialog.get_value("search") || "").trim().toLowerCase();
			const shown = usable.filter((f) => !term || f.label.toLowerCase().includes(term) || f.fieldname.includes(term));
			const rows = shown.map((f) => {
				const usable_here = into_formula ? f.in_formula : true;
				const options = !into_formula && f.options.length
					? f.options.map((o) => `<a href="#" class="gz-insert-option" data-field="${this.esc(f.fieldname)}" data-option="${this.esc(o)}">${this.esc(o)}</a>`).join(" · ")
					: "";
				return `<tr class="gz-field-row ${usable_here ? "" : "text-muted"}" data-field="${this.esc(f.fieldname)}">
					<td>${usable_here ? `<a href="#" class="gz-insert-field" data-field="${this.esc(f.fieldname)}">${this.esc(f.label)}</a>` : this.esc(f.label)}
						${f.custom ? `<span class="indicator-pill blue">${__("Custom Field")}</span>` : ""}</td>
					<td>${this.esc(f.unit)}</td><td><code>${this.esc(f.fieldname)}</code></td>
					<td>${this.esc(KIND_LABELS[f.kind] || f.kind)}${usable_here ? "" : `<br><small>${__("Conditions only")}</small>`}</td>
					<td>${options}</td></tr>`;
			});
			dialog.fields_dict.list.$wrapper.html(`<p class="text-muted">${
				into_formula
					? __("A formula may use numbers and 是/否 answers (是 counts as 1, 否 as 0). Click a field to insert it.")
					: __("A condition may compare any field: click a field to insert its name, or a value to insert field == value.")
			}</p><table class="table table-bordered table-sm gz-field-picker"><thead><tr><th>${__("Field")}</th><th>${__("Unit")}</th>
				<th>${__("Field Name")}</th><th>${__("Kind")}</th><th>${__("Values")}</th></tr></thead><tbody>${rows.join("")}</tbody></table>`);
		};
		dialog.fields_dict.target.$input.on("change", render);
		dialog.fields_dict.search.$input.on("input", render);
		dialog.fields_dict.list.$wrapper.on("click", "a", (e) => {
			e.preventDefault();
			const field = $(e.currentTarget).attr("data-field");
			const option = $(e.currentTarget).attr("data-option");
			const token = option === undefined ? field : `${field} == ${JSON.stringify(option)}`;
			this.insert(frm, dialog.get_value("target"), token);
			dialog.hide();
		});
		render();
		dialog.show();
	},

	// The token at the cursor of that box (or at its end), with spaces around it.
	insert(frm, target, token) {
		const [grid, row, fieldname] = target.split("|");
		const child = (frm.doc[grid] || []).find((r) => r.name === row);
		if (!child) return;
		const text = child[fieldname] || "";
		const cursor = frm.gz_cursor;
		const at = cursor && cursor.row === row && cursor.fieldname === fieldname ? Math.min(cursor.at, text.length) : text.length;
		const before = text.slice(0, at);
		const after = text.slice(at);
		const joined = `${before}${before && !/\s$/.test(before) ? " " : ""}${token}${after && !/^\s/.test(after) ? " " : ""}${after}`;
		frappe.model.set_value(child.doctype, child.name, fieldname, joined);
		frm.gz_cursor = { grid, row, fieldname, at: at + token.length + 1 };
		frappe.show_alert({ message: __("Inserted {0}", [token]), indicator: "green" });
	},

	schedule(frm) {
		clearTimeout(frm.gz_trial_timer);
		frm.gz_trial_timer = setTimeout(() => this.trial_run(frm), 400);
	},

	async trial_run(frm) {
		const wrapper = frm.fields_dict.preview?.$wrapper;
		if (!wrapper || !frm.perm[0]?.write) return;
		const asked = (frm.gz_trial_asked = (frm.gz_trial_asked || 0) + 1);
		const { message: run } = await frappe.call({ method: RULE_EDITOR + "trial_run", args: { doc: frm.doc }, type: "POST" });
		if (asked !== frm.gz_trial_asked) return; // a newer edit is on its way
		if (run.error) {
			wrapper.html(`<div class="alert alert-danger gz-trial-error">${this.esc(run.error)}</div>`);
			return;
		}
		const classes = { 满足: "green", 不满足: "red", 不适用: "gray", 待填: "orange" };
		const cell = (r) => `<td title="${this.esc(r.explanation)}"><span class="indicator-pill ${classes[r.result] || "gray"}">${this.esc(r.result)}</span> ${r.value === r.result ? "" : this.esc(r.value)}</td>`;
		const head = run.samples.map((s) => `<th>${s.name ? `<a href="/app/cultivation-submission/${encodeURIComponent(s.name)}">${this.esc(s.title)}</a>` : this.esc(s.title)}</th>`).join("");
		const body = run.rules.map((rule) => `<tr data-seq="${rule.seq}"><td>${rule.seq}</td><td>${this.esc(rule.label)}</td>${rule.results.map(cell).join("")}</tr>`).join("");
		const overall = run.samples.map((s) => `<td><b>${this.esc(s.overall)}</b></td>`).join("");
		wrapper.html(`<p class="text-muted gz-trial-source">${
			run.source === "batch"
				? __("On the latest submissions of this batch; nothing is saved.")
				: __("No submission in this batch yet: on the manual's example (企业技术中心, category 其他); nothing is saved.")
		}</p><table class="table table-bordered table-sm gz-trial"><thead><tr><th>${__("Rule No.")}</th><th>${__("Indicator")}</th>${head}</tr></thead>
			<tbody>${body}<tr class="gz-trial-overall"><td></td><td>${__("Overall Result")}</td>${overall}</tr></tbody></table>`);
	},
};

// Each label a literal inside its own translation call, so that the extractor finds them (the form script loads after
// Desk has its translations).
const KIND_LABELS = {
	number: __("A number"),
	yes_no: __("A yes/no answer"),
	check: __("A checkbox"),
	select: __("One of a list"),
	link: __("One of a list"),
	date: __("A date (YYYY-MM-DD)"),
	text: __("A text"),
};
