// The enterprise fields as the portal's forms show them (certification, completing legacy data):
// one renderer and one collector, driven by the field list the page's controller gives.
(function () {
	const esc = (s) => String(s ?? "").replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);

	// ctx: { schema: {cities, counties, business_types}, city: the chosen city, T: i18n texts }
	function field_html(f, value, ctx) {
		const { schema, T } = ctx;
		const name = f.fieldname;
		const star = f.required ? ' <span class="text-danger">*</span>' : "";
		let input;
		if (f.fieldtype === "Select" || name === "city" || name === "county") {
			let options = f.options || [];
			if (name === "city") options = schema.cities;
			if (name === "county") {
				const city = ctx.city || "";
				options = Object.keys(schema.counties).filter((c) => schema.counties[c] === city);
			}
			input = `<select class="form-control" name="${name}"><option value="">${esc(T.choose)}</option>${options
				.map((o) => `<option ${o === value ? "selected" : ""}>${esc(o)}</option>`)
				.join("")}</select>`;
		} else if (f.fieldtype === "Small Text") {
			input = `<textarea class="form-control" name="${name}" rows="3">${esc(value)}</textarea>`;
		} else if (f.fieldtype === "Check") {
			input = `<label><input type="checkbox" name="${name}" ${value ? "checked" : ""}> ${esc(T.yes)}</label>`;
		} else if (f.fieldtype === "Table") {
			const rows = value || [];
			input = schema.business_types
				.map((type) => {
					const row = rows.find((r) => r.business_type === type);
					return `<div class="gz-auth-row"><label><input type="checkbox" name="auth_type" value="${esc(type)}" ${row ? "checked" : ""}> ${esc(type)}</label>
					<input class="form-control" name="auth_details" data-type="${esc(type)}" placeholder="${esc(T.details)}" value="${esc(row && row.details)}"></div>`;
				})
				.join("");
		} else {
			const type = f.fieldtype === "Date" ? "date" : f.fieldtype === "Float" ? "number" : "text";
			input = `<input class="form-control" type="${type}" name="${name}" value="${esc(value)}" ${type === "number" ? 'step="any" min="0"' : ""}>`;
		}
		return `<div class="form-group"><label class="control-label">${esc(f.label)}${star}</label>${input}<div class="gz-error" data-for="${name}"></div></div>`;
	}

	function collect(form, fields) {
		const values = {};
		fields.forEach((f) => {
			if (f.fieldtype === "Table") {
				values[f.fieldname] = [...form.querySelectorAll('[name="auth_type"]:checked')].map((box) => ({
					business_type: box.value,
					details: form.querySelector(`[name="auth_details"][data-type="${box.value}"]`).value,
				}));
			} else if (f.fieldtype === "Check") {
				values[f.fieldname] = form.querySelector(`[name="${f.fieldname}"]`).checked ? 1 : 0;
			} else {
				values[f.fieldname] = form.querySelector(`[name="${f.fieldname}"]`).value.trim();
			}
		});
		return values;
	}

	window.gz_enterprise_form = { esc, field_html, collect };
})();
