// The six-step enterprise certification form (manual §2.1.3). Every step is saved on the server:
// 暂存 keeps it, 上一步/下一步 save and move, a later visit resumes at the same step.
(function () {
	const T = window.gz_certify_i18n;
	const SCHEMA = window.gz_certify_form;
	const gz = window.gz_accounts;
	// Enterprise endpoints live in gz_innovation.enterprise.api.
	const api = (method, args) => gz.post("gz_innovation.enterprise.api." + method, args);

	const form = document.querySelector(".gz-cert-form");
	const body = form.querySelector(".gz-step-body");
	const status = document.querySelector(".gz-status");
	let app = null; // the application as the server returned it
	let step = 1;

	const esc = window.gz_enterprise_form.esc;
	const fieldHtml = (f, value) => window.gz_enterprise_form.field_html(f, value, { schema: SCHEMA, city: app && app.city, T });

	function render() {
		const def = SCHEMA.steps[step - 1];
		document.querySelectorAll(".gz-steps li").forEach((li) => li.classList.toggle("active", +li.dataset.step === step));
		const values = app || {};
		let html = def.fields.map((f) => fieldHtml(f, values[f.fieldname])).join("");
		if (step === 2) {
			html += `<div class="form-group"><label class="control-label">${esc(T.licence)} <span class="text-danger">*</span></label>
				<input type="file" name="licence_file" accept=".pdf,.jpg,.jpeg,.png" class="form-control">
				<div class="gz-licence">${values.business_licence ? esc(T.uploaded) + ": " + esc(values.business_licence.split("/").pop()) : ""}</div>
				<div class="gz-error" data-for="business_licence"></div></div>`;
		}
		body.innerHTML = html;
		form.querySelector(".gz-prev").style.display = step > 2 ? "" : "none";
		form.querySelector(".gz-skip").style.display = def.skippable ? "" : "none";
		form.querySelector(".gz-draft").style.display = step > 1 && step < 6 ? "" : "none";
		form.querySelector(".gz-next").style.display = step < 5 ? "" : "none";
		form.querySelector(".gz-submit-application").style.display = step === 5 ? "" : "none";
		form.style.display = step === 6 ? "none" : "";
		const city = form.querySelector('[name="city"]');
		if (city) city.addEventListener("change", () => {
			app = Object.assign(app || {}, collect(), { city: city.value, county: "" });
			render();
		});
		const licence = form.querySelector('[name="licence_file"]');
		if (licence) licence.addEventListener("change", upload);
	}

	function collect() {
		return window.gz_enterprise_form.collect(form, SCHEMA.steps[step - 1].fields);
	}

	async function upload(event) {
		gz.clear_errors(form);
		const data = new FormData();
		data.append("name", app.name);
		data.append("file", event.target.files[0]);
		const response = await fetch("/api/method/gz_innovation.enterprise.api.upload_business_licence", {
			method: "POST",
			headers: { Accept: "application/json", "X-Frappe-CSRF-Token": frappe.csrf_token || "" },
			body: data,
		});
		const result = await response.json().catch(() => ({}));
		if (!response.ok) return gz.show_error(form, result);
		app.business_licence = result.message.business_licence;
		form.querySelector(".gz-licence").textContent = T.uploaded + ": " + app.business_licence.split("/").pop();
	}

	async function save(goTo) {
		gz.clear_errors(form);
		try {
			app = await api("save_certification_step", { name: app.name, step, values: collect(), go_to: goTo });
			step = app.certification_step;
			render();
			return true;
		} catch (data) {
			gz.show_error(form, data);
			return false;
		}
	}

	function showStatus() {
		const s = app && app.certification_status;
		let html = "";
		if (s === "审核中") html = esc(T.under_review);
		if (s === "已认证") html = esc(T.certified);
		if (s === "退回修改") html = esc(T.returned.replace("{0}", app.review_comment || ""));
		if (s === "驳回") html = esc(T.rejected.replace("{0}", app.review_comment || ""));
		status.innerHTML = html ? `<div class="alert ${s === "已认证" ? "alert-success" : s === "审核中" ? "alert-info" : "alert-warning"}">${html}</div>` : "";
		if (s === "退回修改") {
			status.innerHTML += `<button class="btn btn-primary gz-edit">${esc(T.edit)}</button>`;
			status.querySelector(".gz-edit").addEventListener("click", () => {
				step = 2;
				status.innerHTML = `<div class="alert alert-warning">${esc(T.returned.replace("{0}", app.review_comment || ""))}</div>`;
				render();
			});
			step = 6;
		}
	}

	form.querySelector(".gz-next").addEventListener("click", async () => {
		if (step === 1) {
			gz.clear_errors(form);
			const v = collect();
			try {
				const result = await api("start_certification", { enterprise_name: v.enterprise_name, uscc: v.uscc });
				if (result.status === "certified") {
					status.innerHTML = `<div class="alert alert-info">${esc(T.certified_join)}</div><button class="btn btn-primary gz-join">${esc(T.join)}</button>`;
					status.querySelector(".gz-join").addEventListener("click", async () => {
						try {
							await api("request_to_join", { enterprise: result.enterprise });
							status.innerHTML = `<div class="alert alert-success">${esc(T.join_sent)}</div>`;
						} catch (data) {
							gz.show_error(form, data);
						}
					});
					return;
				}
				app = result.application;
				step = app.certification_step;
				render();
			} catch (data) {
				gz.show_error(form, data);
			}
			return;
		}
		await save(step + 1);
	});
	form.querySelector(".gz-prev").addEventListener("click", () => save(step - 1));
	form.querySelector(".gz-skip").addEventListener("click", async () => {
		gz.clear_errors(form);
		try {
			app = await api("save_certification_step", { name: app.name, step, values: {}, go_to: step + 1 });
			step = app.certification_step;
			render();
		} catch (data) {
			gz.show_error(form, data);
		}
	});
	form.querySelector(".gz-draft").addEventListener("click", async () => {
		if (await save(step)) form.querySelector(".gz-form-note").textContent = T.saved;
	});
	form.querySelector(".gz-submit-application").addEventListener("click", async () => {
		if (!(await save(5))) return;
		try {
			app = await api("submit_certification", { name: app.name });
			step = 6;
			render();
			showStatus();
		} catch (data) {
			gz.show_error(form, data);
		}
	});

	(async () => {
		const state = await api("get_certification", {});
		if (state.member_of) {
			step = 6;
			render();
			status.innerHTML = `<div class="alert alert-success">${esc(T.member.replace("{0}", state.member_of.enterprise_name).replace("{1}", state.member_of.status))}</div>`;
			return;
		}
		app = state.application || null;
		if (app) {
			step = app.certification_status === "审核中" ? 6 : Math.min(Math.max(app.certification_step || 2, 2), 5);
			render();
			showStatus();
		} else {
			if (state.rejected) {
				app = state.rejected;
				showStatus();
				app = null;
			}
			step = 1;
			render();
		}
	})();
})();
