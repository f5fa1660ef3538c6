// The 限定性指标 form's fields (manual §3.1.1): 一、基本信息 field by field, the indicator category
// (the second 企业类型) and 二、限定性指标, as the server describes them (cultivation/api.py as_form):
// 是/否 as radio buttons with no default, selects, dates, numbers with their unit, texts.
import { gz } from "./helpers.js";

const h = gz.h;

function group(f, label, input, wide) {
	return h(
		"div",
		{ class: "form-group" + (wide ? " gz-wide" : ""), dataset: { field: f.fieldname } },
		label,
		input,
		f.description ? h("div", { class: "gz-hint" }, f.description) : null, // the field's help (Customize Form)
		h("div", { class: "gz-error", dataset: { for: f.fieldname } })
	);
}

function label_of(f) {
	const mark = f.required || f.required_if ? h("span", { class: "text-danger gz-required-mark", hidden: !f.required }, " *") : null;
	return h("label", { class: "control-label", for: "gz-" + f.fieldname }, f.label, mark);
}

// One field as the manual shows it; read_only: nothing can be typed or chosen.
function field(f, read_only) {
	const locked = read_only || !!f.read_only;
	const value = f.value ?? "";
	if (f.kind === "yes_no") {
		return group(
			f,
			h("label", { class: "control-label" }, f.label),
			h(
				"div",
				{ class: "gz-radios", role: "radiogroup" },
				["否", "是"].map((o) => h("label", { class: "gz-radio" }, h("input", { type: "radio", name: f.fieldname, value: o, checked: value === o, disabled: locked }), " ", o === "是" ? __("Yes") : __("No")))
			)
		);
	}
	if (f.kind === "check") {
		return group(f, h("label", { class: "gz-check" }, h("input", { type: "checkbox", name: f.fieldname, checked: !!f.value, disabled: locked }), " ", f.label), null);
	}
	if (f.kind === "select") {
		const select = h("select", { class: "form-control", id: "gz-" + f.fieldname, name: f.fieldname, disabled: locked }, gz.select_options(f, value, locked));
		return group(f, label_of(f), locked ? select : [select, gz.withdrawn(f, value)]);
	}
	if (f.fieldtype === "Small Text" || f.fieldtype === "Text") {
		return group(f, label_of(f), h("textarea", { class: "form-control", id: "gz-" + f.fieldname, name: f.fieldname, rows: 2, readOnly: locked }, value), true);
	}
	const number = f.kind === "number";
	let input = h("input", {
		class: "form-control",
		id: "gz-" + f.fieldname,
		type: number ? "number" : f.kind === "date" ? "date" : "text",
		name: f.fieldname,
		value: value,
		readOnly: read_only,
		disabled: !!f.read_only,
		...(number ? { min: "0", step: f.fieldtype === "Int" ? "1" : "any", inputmode: f.fieldtype === "Int" ? "numeric" : "decimal" } : {}),
	});
	if (f.unit) input = h("div", { class: "gz-unit" }, input, h("span", { class: "gz-unit-label" }, f.unit));
	return group(f, label_of(f), input);
}

function category_field(c, read_only) {
	const described = (value) => (c.options.find((o) => o.name === value) || {}).description || "";
	const hint = h("div", { class: "gz-hint gz-category-hint" }, described(c.value));
	return h(
		"div",
		{ class: "form-group", dataset: { field: c.fieldname } },
		h("label", { class: "control-label", for: "gz-" + c.fieldname }, c.label, h("span", { class: "text-danger" }, " *")),
		h(
			"select",
			{
				class: "form-control",
				id: "gz-" + c.fieldname,
				name: c.fieldname,
				disabled: read_only,
				onchange: (e) => (hint.textContent = described(e.target.value)),
			},
			h("option", { value: "" }, __("Please choose")),
			c.options.map((o) => h("option", { value: o.name, selected: o.name === c.value }, o.name))
		),
		hint,
		c.withdrawn ? h("div", { class: "alert alert-warning gz-category-withdrawn" }, __("{0}, chosen before, is no longer offered: please choose again.", [c.withdrawn])) : null,
		h("div", { class: "gz-error", dataset: { for: c.fieldname } })
	);
}

// 证明材料 of a figure: its files (opened in a new tab), removable and added while the form is editable.
// actions: {upload(fieldname, file), remove(row)} of the page (cultivation.js).
function evidence_block(sub, fieldname, read_only, actions) {
	const files = (sub.evidence || {})[fieldname] || [];
	const size = (bytes) => (bytes >= 1048576 ? (bytes / 1048576).toFixed(1) + " MB" : Math.max(1, Math.round(bytes / 1024)) + " KB");
	return h(
		"div",
		{ class: "gz-evidence", dataset: { for: fieldname } },
		h("span", { class: "gz-evidence-label" }, __("Evidence") + "："),
		files.length
			? files.map((file) =>
					h(
						"span",
						{ class: "gz-evidence-file", dataset: { row: file.name } },
						h("a", { href: file.url, target: "_blank", rel: "noopener" }, file.file_name),
						" ",
						h("span", { class: "gz-hint" }, size(file.file_size || 0)),
						read_only || !actions ? null : h("button", { type: "button", class: "btn btn-xs btn-link gz-evidence-remove", title: __("Remove this file"), onclick: () => actions.remove(file.name) }, "×")
					)
			  )
			: h("span", { class: "gz-hint gz-evidence-none" }, __("none yet")),
		read_only || !actions
			? null
			: h(
					"label",
					{ class: "btn btn-xs btn-default gz-evidence-add" },
					__("Attach a file"),
					h("input", {
						type: "file",
						class: "gz-evidence-input",
						hidden: true,
						accept: (sub.evidence_types || []).map((e) => "." + e).join(","),
						onchange: (event) => {
							event.stopPropagation(); // not a value of the form: the autosave leaves it
							const file = event.target.files[0];
							event.target.value = "";
							if (file) actions.upload(fieldname, file);
						},
					})
			  )
	);
}

// 三、申请报告: the programme's sections, in its order, with what to write under each.
function report_sections(sub, read_only) {
	if (!(sub.report || []).length) return null;
	return [
		h("h5", {}, __("3. Application Report")),
		sub.report.map((s, i) =>
			h(
				"div",
				{ class: "form-group gz-wide gz-report-section", dataset: { section: s.section_title } },
				h("label", { class: "control-label", for: "gz-report-" + i }, s.section_title, s.required ? h("span", { class: "text-danger" }, " *") : null),
				s.guidance ? h("div", { class: "gz-hint" }, s.guidance) : null,
				h("textarea", { class: "form-control", id: "gz-report-" + i, name: "report-" + i, rows: 6, maxlength: 20000, readOnly: read_only }, s.content),
				s.min_characters ? h("div", { class: "gz-hint" }, __("At least {0} characters", [s.min_characters])) : null
			)
		),
		h("div", { class: "gz-error", dataset: { for: "report" } }),
	];
}

// Fill the form's sections with the submission's values.
function render(form, sub, read_only, actions) {
	gz.fill(form.querySelector(".gz-basic"), sub.basic.map((f) => field(f, read_only)));
	gz.fill(form.querySelector(".gz-category"), category_field(sub.category, read_only));
	// A programme's form may group its fields under headings (Cultivation Type's form fields, in Desk).
	gz.fill(
		form.querySelector(".gz-indicators"),
		sub.indicators.flatMap((f, i) => [f.group && f.group !== (sub.indicators[i - 1] || {}).group ? h("h5", { class: "gz-group-title" }, f.group) : null, field(f, read_only)])
	);
	if ((sub.evidence_fields || []).length && !read_only) {
		const note = (sub.evidence_required ? __("Attach the evidence of each figure you declare.") + " " : "") + __("PDF up to 20 MB; JPG, PNG, Word or Excel up to 10 MB");
		form.querySelector(".gz-indicators").prepend(h("p", { class: "gz-hint gz-wide gz-evidence-note" }, note));
	}
	(sub.evidence_fields || []).forEach((fieldname) => {
		const group = form.querySelector(`.gz-indicators [data-field="${CSS.escape(fieldname)}"]`);
		if (group) group.insertBefore(evidence_block(sub, fieldname, read_only, actions), group.querySelector(".gz-error"));
	});
	const slot = form.querySelector(".gz-report-slot");
	if (slot) gz.fill(slot, report_sections(sub, read_only));
	form.querySelector(".gz-commitment-docx").href = "/api/method/gz_innovation.cultivation.commitment.download?name=" + encodeURIComponent(sub.name);
	const read = form.querySelector(".gz-commitment-read");
	if (read) read.href = "/authenticity-commitment?type=" + encodeURIComponent(sub.cultivation_type);
	form.commitment.checked = !!sub.commitment;
	form.commitment.disabled = read_only;
	follow_conditions(form, sub);
}

// A field's depends_on and mandatory_depends_on (Customize Form), re-read as the enterprise types; the
// server reads them the same way (portal/depends.py) when the application is submitted.
function follow_conditions(form, sub) {
	const conditional = sub.indicators.filter((f) => f.depends_on || f.required_if);
	if (!conditional.length) return;
	const update = () => {
		const values = collect(form, sub);
		conditional.forEach((f) => {
			const group = form.querySelector(`.gz-indicators [data-field="${CSS.escape(f.fieldname)}"]`);
			if (!group) return;
			const visible = gz.holds(f.depends_on, values);
			group.hidden = !visible;
			const mark = group.querySelector(".gz-required-mark");
			if (mark) mark.hidden = !(visible && (f.required || gz.holds(f.required_if, values)));
		});
	};
	const indicators = form.querySelector(".gz-indicators");
	indicators.addEventListener("input", update);
	indicators.addEventListener("change", update);
	update();
}

function value_of(form, f) {
	if (f.kind === "yes_no") return form.querySelector(`[name="${CSS.escape(f.fieldname)}"]:checked`)?.value || "";
	const input = form.querySelector(`[name="${CSS.escape(f.fieldname)}"]`);
	return f.kind === "check" ? (input.checked ? 1 : 0) : input.value.trim();
}

function collect(form, sub) {
	const values = {};
	sub.basic.filter((f) => !f.read_only).forEach((f) => (values[f.fieldname] = value_of(form, f)));
	values[sub.category.fieldname] = form.querySelector(`[name="${CSS.escape(sub.category.fieldname)}"]`).value;
	sub.indicators.forEach((f) => (values[f.fieldname] = value_of(form, f)));
	values.commitment = form.commitment.checked ? 1 : 0;
	if ((sub.report || []).length) {
		values.report = {};
		sub.report.forEach((s, i) => (values.report[s.section_title] = form.querySelector(`[name="report-${i}"]`).value));
	}
	return values;
}

// What the live pre-check evaluates: every declared value (a rule may depend on any field: the
// category, the industry, ...), not the commitment.
function figures(form, sub) {
	const values = collect(form, sub);
	delete values.commitment;
	delete values.report;
	return values;
}

function shown(f) {
	if (f.kind === "check") return f.value ? __("Yes") : __("No");
	if (f.value === null || f.value === undefined || f.value === "") return "";
	return f.unit ? `${f.value} ${f.unit}` : String(f.value);
}

// The 限定性指标 tab of 申报详情: 一、基本信息 (with the category) and 二、限定性指标.
function values_table(sub) {
	const row = (f) => h("tr", { dataset: { field: f.fieldname } }, h("th", {}, f.label), h("td", {}, shown(f)));
	const category = { fieldname: sub.category.fieldname, label: sub.category.label, value: sub.category.value };
	return [
		h("h5", {}, __("1. Basic Information")),
		h("table", { class: "table table-bordered gz-kv gz-detail-basic" }, [...sub.basic, category].map(row)),
		h("h5", {}, __("2. Restrictive Indicators")),
		h(
			"table",
			{ class: "table table-bordered gz-kv gz-detail-indicators" },
			sub.indicators.map((f) => {
				const tr = row(f);
				if ((sub.evidence || {})[f.fieldname]) tr.querySelector("td").append(evidence_block(sub, f.fieldname, true, null));
				return tr;
			})
		),
		(sub.report || []).length
			? [
					h("h5", {}, __("3. Application Report")),
					h(
						"table",
						{ class: "table table-bordered gz-kv gz-detail-report" },
						sub.report.map((s) => h("tr", { dataset: { section: s.section_title } }, h("th", {}, s.section_title), h("td", { class: "gz-long" }, s.content)))
					),
			  ]
			: null,
	];
}

gz.cultivation_form = { render, collect, figures, values_table };
