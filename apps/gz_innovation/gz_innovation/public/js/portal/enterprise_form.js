// The enterprise fields as the portal's forms show them (certification, completing legacy data): one
// renderer and one collector, driven by the field list the page's controller gives.
import { gz } from "./helpers.js";

const h = gz.h;

// schema: {cities, counties: {county: city}, business_types}; city: the chosen city.
function field(f, value, { schema, city, readonly }) {
	const name = f.fieldname;
	const id = "gz-" + name;
	let input;
	if (f.fieldtype === "Select" || name === "city" || name === "county") {
		let options = f.options || [];
		if (name === "city") options = schema.cities;
		if (name === "county") options = Object.keys(schema.counties).filter((c) => schema.counties[c] === (city || ""));
		const choices = { options, option_groups: f.option_groups };
		input = [h("select", { class: "form-control", name, id, disabled: readonly }, gz.select_options(choices, value, readonly)), readonly ? null : gz.withdrawn(choices, value)];
	} else if (f.fieldtype === "Small Text" || f.fieldtype === "Text") {
		input = h("textarea", { class: "form-control", name, id, rows: 3, readOnly: readonly });
		input.value = value ?? "";
	} else if (f.fieldtype === "Check") {
		input = h("label", { class: "gz-check" }, h("input", { type: "checkbox", name, id, checked: !!value, disabled: readonly }), " ", __("Yes"));
	} else if (f.fieldtype === "Table") {
		const rows = value || [];
		input = h(
			"div",
			{ class: "gz-auth-rows" },
			schema.business_types.map((type) => {
				const row = rows.find((r) => r.business_type === type);
				return h(
					"div",
					{ class: "gz-auth-row" },
					h("label", {}, h("input", { type: "checkbox", name: "auth_type", value: type, checked: !!row, disabled: readonly }), " ", type),
					h("input", { class: "form-control", name: "auth_details", dataset: { type }, placeholder: __("Details"), value: (row && row.details) || "", readOnly: readonly })
				);
			})
		);
	} else {
		const number = ["Float", "Int", "Currency", "Percent"].includes(f.fieldtype);
		const type = f.fieldtype === "Date" ? "date" : number ? "number" : "text";
		input = h("input", {
			class: "form-control",
			type,
			name,
			id,
			value: value ?? "",
			step: number ? (f.fieldtype === "Int" ? "1" : "any") : null,
			min: number ? "0" : null,
			inputmode: number ? (f.fieldtype === "Int" ? "numeric" : "decimal") : null,
			readOnly: readonly,
		});
	}
	return h(
		"div",
		{ class: "form-group", dataset: { field: name } },
		h("label", { class: "control-label", for: id }, f.label, h("span", { class: "gz-required", hidden: !f.required }, " *")),
		input,
		f.description ? h("div", { class: "gz-hint" }, f.description) : null,
		h("div", { class: "gz-error", dataset: { for: name } })
	);
}

// The fields of a step, each section an administrator labelled opening with its heading and hint.
function fields(list, values, options) {
	const out = [];
	list.forEach((f) => {
		const readonly = options.readonly || f.read_only;
		if (f.group || f.group_note)
			out.push(h("div", { class: "gz-group" }, f.group ? h("h5", { class: "gz-group-title" }, f.group) : null, f.group_note ? h("p", { class: "gz-hint" }, f.group_note) : null));
		out.push(field(f, values[f.fieldname], { ...options, readonly }));
	});
	return out;
}

// depends_on and mandatory_depends_on, re-read as the user types (the server reads them the same way).
function follow_conditions(root, list, values) {
	const conditional = list.filter((f) => f.depends_on || f.required_if);
	if (!conditional.length) return;
	const update = () => {
		const current = { ...values, ...collect(root, list) };
		conditional.forEach((f) => {
			const group = root.querySelector(`[data-field="${CSS.escape(f.fieldname)}"]`);
			if (!group) return;
			const shown = gz.holds(f.depends_on, current);
			group.hidden = !shown;
			group.querySelector(".gz-required").hidden = !(shown && (f.required || (f.required_if && gz.holds(f.required_if, current))));
		});
	};
	root.addEventListener("input", update);
	root.addEventListener("change", update);
	update();
}

function collect(form, fields) {
	const values = {};
	fields.forEach((f) => {
		if (f.read_only) return; // shown, set by the server
		if (f.fieldtype === "Table") {
			values[f.fieldname] = [...form.querySelectorAll('[name="auth_type"]:checked')].map((box) => ({
				business_type: box.value,
				details: form.querySelector(`[name="auth_details"][data-type="${CSS.escape(box.value)}"]`).value,
			}));
		} else if (f.fieldtype === "Check") {
			values[f.fieldname] = form.querySelector(`[name="${f.fieldname}"]`).checked ? 1 : 0;
		} else {
			values[f.fieldname] = form.querySelector(`[name="${f.fieldname}"]`).value.trim();
		}
	});
	return values;
}

gz.enterprise_form = { field, fields, collect, follow_conditions };
