// 需更新完善 (manual §1.7): the admin of an imported enterprise reviews and completes its data.
import { gz } from "./helpers.js";

gz.pages["enterprise-update"] = function (schema) {
	const ef = gz.enterprise_form;
	const form = document.querySelector(".gz-update-form");
	const body = form.querySelector(".gz-update-body");
	let values = Object.assign({}, schema.values);

	function render() {
		gz.fill(body, schema.fields.map((f) => ef.field(f, values[f.fieldname], { schema, city: values.city })));
		body.querySelector('[name="city"]').addEventListener("change", (e) => {
			values = Object.assign(values, ef.collect(form, schema.fields), { city: e.target.value, county: "" });
			render();
		});
	}

	form.addEventListener("submit", async (e) => {
		e.preventDefault();
		gz.clear_errors(form);
		try {
			const r = await gz.call("gz_innovation.legacy.api.complete_enterprise_update", { values: ef.collect(form, schema.fields) });
			window.location.href = r.redirect;
		} catch (error) {
			gz.show_error(form, error);
		}
	});
	render();
};
