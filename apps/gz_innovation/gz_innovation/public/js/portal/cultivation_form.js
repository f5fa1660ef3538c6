// The 限定性指标 form's fields (manual §3.1.1): 一、基本信息 and 二、限定性指标 as the server describes
// them (cultivation/api.py as_form), and the values to send back.
import { gz } from "./helpers.js";

const h = gz.h;
const BASIC = () => ({
	enterprise_name: __("Enterprise Name"),
	contact_person: __("Contact Person"),
	contact_phone: __("Contact Phone"),
	address: __("Address"),
});

function group(name, label, input) {
	return h("div", { class: "form-group", dataset: { field: name } }, label, input, h("div", { class: "gz-error", dataset: { for: name } }));
}

// Fill the form's two sections with the submission's values; read_only: nothing can be typed.
function render(form, sub, read_only) {
	const basic = BASIC();
	gz.fill(
		form.querySelector(".gz-basic"),
		Object.keys(basic).map((f) =>
			group(
				f,
				h("label", { class: "control-label", for: "gz-" + f }, basic[f]),
				h("input", { class: "form-control", id: "gz-" + f, name: f, value: sub.basic[f] ?? "", readOnly: read_only })
			)
		)
	);
	gz.fill(
		form.querySelector(".gz-indicators"),
		sub.indicators.map((f) =>
			f.fieldtype === "Check"
				? group(f.fieldname, h("label", { class: "gz-check" }, h("input", { type: "checkbox", name: f.fieldname, checked: !!f.value, disabled: read_only }), " ", f.label), null)
				: group(
						f.fieldname,
						h("label", { class: "control-label", for: "gz-" + f.fieldname }, f.label),
						h("input", {
							class: "form-control",
							id: "gz-" + f.fieldname,
							type: "number",
							min: "0",
							step: f.fieldtype === "Int" ? "1" : "any",
							inputmode: f.fieldtype === "Int" ? "numeric" : "decimal",
							name: f.fieldname,
							value: f.value ?? "",
							readOnly: read_only,
						})
				  )
		)
	);
	form.commitment.checked = !!sub.commitment;
	form.commitment.disabled = read_only;
}

function collect(form, sub) {
	const values = {};
	Object.keys(BASIC()).forEach((f) => (values[f] = form.querySelector(`[name="${f}"]`).value.trim()));
	sub.indicators.forEach((f) => {
		const input = form.querySelector(`[name="${f.fieldname}"]`);
		values[f.fieldname] = f.fieldtype === "Check" ? (input.checked ? 1 : 0) : input.value.trim();
	});
	values.commitment = form.commitment.checked ? 1 : 0;
	return values;
}

// The values the live pre-check evaluates: the indicators only.
function figures(form, sub) {
	const values = collect(form, sub);
	delete values.commitment;
	Object.keys(BASIC()).forEach((f) => delete values[f]);
	return values;
}

// The 限定性指标 tab of 申报详情: label and value of each indicator.
function values_table(sub) {
	return h(
		"table",
		{ class: "table table-bordered gz-kv" },
		sub.indicators.map((f) => h("tr", {}, h("th", {}, f.label), h("td", {}, f.fieldtype === "Check" ? (f.value ? __("Yes") : __("No")) : f.value ?? "")))
	);
}

gz.cultivation_form = { render, collect, figures, values_table };
