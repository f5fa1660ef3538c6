// 账户中心 → 账户认证 → 企业认证 (manual §2.1.3): the name check, one step per tab of Enterprise
// (Customize Form changes them), and 等待审核. Every step is saved on the server while the
// user types (autosave), and by 暂存 / 上一步 / 下一步; a later visit resumes at the same step.
import { gz } from "./helpers.js";

const h = gz.h;
const api = (method, args) => gz.call("gz_innovation.enterprise.api." + method, args);

gz.pages.certify = function (schema) {
	const ef = gz.enterprise_form;
	const form = document.querySelector(".gz-cert-form");
	const body = form.querySelector(".gz-step-body");
	const status = document.querySelector(".gz-status");
	const note = form.querySelector(".gz-form-note");
	const saved = form.querySelector(".gz-save-state");
	let app = null; // the application as the server returned it
	let step = 1;
	const LAST = schema.steps.length; // 等待审核
	const SUBMIT_STEP = LAST - 1; // the last step the user fills, with 提交

	const autosave = new gz.Autosave({
		root: body,
		status: saved,
		collect: () => collect(),
		save: (values, modified) => api("save_certification_step", { name: app.name, step, values, go_to: step, modified }),
		on_saved: (result) => (app.modified = result.modified),
		on_conflict: (error) => conflict(error),
		on_refused: (error) => gz.show_error(form, error),
	});
	autosave.stop(); // runs from step 2 on, once there is an application

	function conflict(error) {
		gz.conflict_banner(form, error, {
			reload: () => window.location.reload(),
			keep_mine: async () => {
				const state = await api("get_certification", {});
				await autosave.resume(state.application.modified);
			},
		});
	}

	function collect() {
		return ef.collect(form, schema.steps[step - 1].fields);
	}

	// The step tabs: the current one marked; once there is an application in the applicant's hands,
	// steps 2 to SUBMIT_STEP open with a click (going forward checks the step being left, as 下一步 does).
	function render_tabs() {
		const editable = !!app && ["草稿", "退回修改"].includes(app.certification_status) && step < LAST;
		document.querySelectorAll(".gz-step-tab").forEach((tab) => {
			const number = +tab.dataset.step;
			tab.parentElement.classList.toggle("active", number === step);
			tab.disabled = !(editable && number >= 2 && number <= SUBMIT_STEP && number !== step);
			if (number === step) tab.setAttribute("aria-current", "step");
			else tab.removeAttribute("aria-current");
		});
	}

	function render() {
		const def = schema.steps[step - 1];
		render_tabs();
		note.textContent = "";
		form.querySelector(".gz-step-note").textContent = def.note || "";
		const values = app || {};
		const fields = h("div", { class: "gz-step-fields" }, ef.fields(def.fields, values, { schema, city: values.city }));
		gz.fill(body, fields);
		ef.follow_conditions(fields, def.fields, values);
		if (step === 1) step_one();
		if (def.licence) {
			const input = h("input", { type: "file", name: "licence_file", accept: ".pdf,.jpg,.jpeg,.png", class: "form-control", id: "gz-licence" });
			input.addEventListener("change", upload);
			body.append(
				h(
					"div",
					{ class: "form-group" },
					h("label", { class: "control-label", for: "gz-licence" }, __("Business licence (PDF, JPG or PNG, at most 5 MB)"), h("span", { class: "gz-required" }, " *")),
					input,
					h("div", { class: "gz-licence" }, values.business_licence ? __("Uploaded") + ": " + values.business_licence.split("/").pop() : ""),
					h("div", { class: "gz-error", dataset: { for: "business_licence" } })
				)
			);
		}
		const show = (selector, visible) => (form.querySelector(selector).style.display = visible ? "" : "none");
		show(".gz-prev", step > 2);
		show(".gz-skip", def.skippable);
		show(".gz-draft", step > 1 && step < LAST);
		show(".gz-next", step < SUBMIT_STEP);
		show(".gz-submit-application", step === SUBMIT_STEP);
		saved.textContent = "";
		form.style.display = step === LAST ? "none" : "";
		const city = form.querySelector('[name="city"]');
		if (city)
			city.addEventListener("change", () => {
				app = Object.assign(app || {}, collect(), { city: city.value, county: "" });
				render();
				autosave.touch();
			});
		if (step > 1 && step < LAST && app) {
			autosave.start(app.modified);
		} else autosave.stop();
		window.scrollTo(0, 0);
	}

	async function upload(event) {
		gz.clear_errors(form);
		const data = new FormData();
		data.append("name", app.name);
		data.append("file", event.target.files[0]);
		try {
			await autosave.flush();
			const result = await gz.call("gz_innovation.enterprise.api.upload_business_licence", {}, { body: data });
			app.business_licence = result.business_licence;
			autosave.modified = app.modified = result.modified;
			form.querySelector(".gz-licence").textContent = __("Uploaded") + ": " + app.business_licence.split("/").pop();
		} catch (error) {
			gz.show_error(form, error);
		}
	}

	// Save this step's values and go to `go_to` (the same step: 暂存).
	async function save(go_to) {
		gz.clear_errors(form);
		try {
			app = await autosave.exclusive((modified) => api("save_certification_step", { name: app.name, step, values: collect(), go_to, modified }));
			step = app.certification_step;
			render();
			return true;
		} catch (error) {
			autosave.report(error, form);
			return false;
		}
	}

	function show_status() {
		const s = app && app.certification_status;
		const texts = {
			审核中: [__("Your certification has been submitted and is under review (审核中). The result will be sent by SMS and e-mail."), "alert-info"],
			已认证: [__("Your enterprise is certified (已认证). You are its enterprise admin."), "alert-success"],
			退回修改: [__("Returned for revision (退回修改). Reason: {0}", [app && app.review_comment]), "alert-warning"],
			驳回: [__("Rejected (驳回). Reason: {0}. You may apply again.", [app && app.review_comment]), "alert-warning"],
		};
		gz.fill(status, texts[s] ? h("div", { class: "alert " + texts[s][1] }, texts[s][0]) : null);
		if (s === "退回修改") {
			status.append(
				h(
					"button",
					{
						class: "btn btn-primary gz-edit",
						onclick: () => {
							step = 2;
							gz.fill(status, h("div", { class: "alert alert-warning" }, texts[s][0]));
							render();
						},
					},
					__("Edit and resubmit")
				)
			);
			step = LAST;
		}
	}

	// Step 1 (manual: "填写企业名称，系统会自动判断该企业是否已认证"): the name is checked as it is
	// typed; a certified enterprise can only be joined (no 下一步), a new one asks for its code next.
	let checked = null; // {name, status, enterprise} of the last check
	let name_check = null; // what the check says, right under the name
	function step_one() {
		const name = form.querySelector('[name="enterprise_name"]');
		const code = form.querySelector('[data-field="uscc"]');
		name_check = h("div", { class: "gz-name-check", "aria-live": "polite" });
		(name.closest(".form-group") || name).after(name_check);
		code.style.display = "none";
		let timer = null;
		name.addEventListener("input", () => {
			clearTimeout(timer);
			checked = null;
			code.style.display = "none";
			form.querySelector(".gz-next").style.display = "";
			gz.fill(name_check);
			timer = setTimeout(() => check_name().catch(() => {}), 600);
		});
	}

	async function check_name() {
		const name = form.querySelector('[name="enterprise_name"]').value.trim();
		if (!name) return null;
		if (checked && checked.name === name) return checked;
		gz.clear_errors(form);
		const result = await api("check_enterprise", { enterprise_name: name });
		if (form.querySelector('[name="enterprise_name"]').value.trim() !== name) return null; // typed on
		checked = { name, ...result };
		if (result.status === "certified") offer_join(result);
		else {
			gz.fill(name_check, h("div", { class: "alert alert-info gz-name-new" }, __("{0} is not certified yet: enter its unified social credit code and click Next.", [name])));
			form.querySelector('[data-field="uscc"]').style.display = "";
		}
		return checked;
	}

	// A certified enterprise: only 申请加入, never 下一步.
	function offer_join(result) {
		form.querySelector('[data-field="uscc"]').style.display = "none";
		form.querySelector(".gz-next").style.display = "none";
		const join = h("button", { type: "button", class: "btn btn-primary gz-join" }, __("Apply to join"));
		gz.fill(name_check, h("div", { class: "alert alert-info gz-name-certified" }, __("{0} is certified already. You can only apply to join it.", [result.enterprise_name])), join);
		join.addEventListener("click", async () => {
			try {
				await api("request_to_join", { enterprise: result.enterprise });
				gz.fill(name_check, h("div", { class: "alert alert-success" }, __("Your request to join was sent to the enterprise admin.")));
			} catch (error) {
				gz.show_error(form, error);
			}
		});
	}

	async function start() {
		gz.clear_errors(form);
		try {
			// An empty name: the server's check names the field.
			const first = (await check_name()) || (await api("check_enterprise", { enterprise_name: "" }));
			if (first.status === "certified") return;
			const v = collect();
			form.querySelector('[data-field="uscc"]').style.display = "";
			const result = await api("start_certification", { enterprise_name: v.enterprise_name, uscc: v.uscc });
			if (result.status === "certified") {
				offer_join(result);
				return;
			}
			gz.fill(status);
			app = result.application;
			step = app.certification_step;
			render();
		} catch (error) {
			gz.show_error(form, error);
		}
	}

	form.querySelector(".gz-next").addEventListener("click", async () => {
		if (step === 1) await start();
		else await save(step + 1);
	});
	document.querySelectorAll(".gz-step-tab").forEach((tab) =>
		tab.addEventListener("click", () => {
			if (!tab.disabled) save(+tab.dataset.step);
		})
	);
	form.querySelector(".gz-prev").addEventListener("click", () => save(step - 1));
	form.querySelector(".gz-skip").addEventListener("click", async () => {
		gz.clear_errors(form);
		try {
			app = await autosave.exclusive((modified) => api("save_certification_step", { name: app.name, step, values: {}, go_to: step + 1, modified }));
			step = app.certification_step;
			render();
		} catch (error) {
			autosave.report(error, form);
		}
	});
	form.querySelector(".gz-draft").addEventListener("click", async () => {
		if (await save(step)) note.textContent = __("Draft saved");
	});
	form.querySelector(".gz-submit-application").addEventListener("click", async () => {
		if (!(await save(SUBMIT_STEP))) return;
		try {
			app = await autosave.exclusive((modified) => api("submit_certification", { name: app.name, modified }));
			autosave.stop();
			step = LAST;
			render();
			show_status();
		} catch (error) {
			autosave.report(error, form);
		}
	});

	(async () => {
		const state = await api("get_certification", {});
		if (state.member_of) {
			step = LAST;
			render();
			gz.fill(status, h("div", { class: "alert alert-success" }, __("You belong to {0} ({1}).", [state.member_of.enterprise_name, state.member_of.status])));
			return;
		}
		app = state.application || null;
		if (app) {
			step = app.certification_status === "审核中" ? LAST : Math.min(Math.max(app.certification_step || 2, 2), SUBMIT_STEP);
			render();
			show_status();
		} else {
			if (state.rejected) {
				app = state.rejected;
				show_status();
				app = null;
			}
			step = 1;
			render();
		}
	})().catch((error) => gz.show_error(form, error));
};
