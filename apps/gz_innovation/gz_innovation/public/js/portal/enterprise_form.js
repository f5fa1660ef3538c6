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
	} else if (f.fieldtype === "Small Text") {
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
		const type = f.fieldtype === "Date" ? "date" : f.fieldtype === "Float" ? "number" : "text";
		input = h("input", {
			class: "form-control",
			type,
			name,
			id,
			value: value ?? "",
			step: type === "number" ? "any" : null,
			min: type === "number" ? "0" : null,
			inputmode: type === "number" ? "decimal" : null,
			readOnly: readonly,
		});
	}
	return h(
		"div",
		{ class: "form-group", dataset: { field: name } },
		h("label", { class: "control-label", for: id }, f.label, f.required ? h("span", { class: "gz-required" }, " *") : null),
		input,
		h("div", { class: "gz-error", dataset: { for: name } })
	);
}

function collect(form, fields) {
	const values = {};
	fields.forEach((f) => {
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

gz.enterprise_form = { field, collect };
