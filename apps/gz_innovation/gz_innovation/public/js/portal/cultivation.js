// 创新平台管理中心 (manual §3): the batches open now with their closing countdown, 申报记录 with who
// acts next, the 限定性指标 form (autosaved while typing, with a live pre-check), 提交申请 and 申报详情
// (限定性指标, 指标评定, 审核流程). The view is in the address (#form/<name>, #detail/<name>), so a
// reload comes back to it.
import { gz } from "./helpers.js";

const h = gz.h;
const api = (method, args) => gz.call("gz_innovation.cultivation.api." + method, args);
const RESULT_CLASS = { 满足: "ok", 不满足: "no", 不适用: "na", 待填: "fill" };

function evaluation_table(rows, overall) {
	return [
		h(
			"table",
			{ class: "table table-bordered gz-evaluation" },
			h("thead", {}, h("tr", {}, h("th", {}, __("Rule No.")), h("th", {}, __("Restrictive Indicators")), h("th", {}, __("Indicator Value")), h("th", {}, __("Indicator Result")))),
			h(
				"tbody",
				{},
				rows.map((r) =>
					h(
						"tr",
						{ title: r.explanation || "" },
						h("td", { class: "gz-eval-seq" }, r.seq),
						h("td", { class: "gz-eval-label" }, r.label),
						gz.cell(__("Indicator Value"), r.value_display),
						h("td", { class: "gz-eval-result gz-result-" + (RESULT_CLASS[r.result] || "no") }, r.result)
					)
				)
			)
		),
		overall ? h("p", { class: "gz-overall" }, h("b", {}, __("Overall Result") + "：" + overall)) : null,
	];
}

// 自评分: what the figures score under the programme's scoring scheme, what each contributes and what
// would raise it; below the gate, why submitting is refused.
function self_score_panel(s) {
	if (!s) return null;
	const pill = s.passes_gate
		? h("span", { class: "gz-tag" }, __("May be submitted"))
		: h("span", { class: "gz-tag gz-tag-accent" }, __("Below the gate of {0}", [s.gate]));
	return h(
		"div",
		{ class: "gz-self-score" },
		h("h4", {}, __("Self-score"), " ", h("b", { class: "gz-self-score-value" }, String(s.self_score)), " / ", String(s.scale), " ", pill),
		h(
			"table",
			{ class: "table table-bordered gz-score-lines gz-stack" },
			h("thead", {}, h("tr", {}, h("th", {}, __("Evaluation Indicator")), h("th", {}, __("Figure")), h("th", {}, __("Points")), h("th", {}, __("What would raise it")))),
			h(
				"tbody",
				{},
				s.lines.map((l) =>
					h(
						"tr",
						{},
						h("td", {}, l.label),
						gz.cell(__("Figure"), l.note),
						gz.cell(__("Points"), l.kind === "定量" ? `${l.points} / ${l.weight}` : `- / ${l.weight}`),
						gz.cell(__("What would raise it"), l.raise_by || (l.kind === "定量" && l.points >= l.weight ? __("Full points") : "—"))
					)
				)
			)
		),
		s.passes_gate ? null : h("p", { class: "gz-gate-reasons" }, s.reasons[0])
	);
}

// Who acts next: who holds the submission, since when, the stage's deadline, what to do now.
function progress_panel(p) {
	if (!p) return null;
	const rows = [[__("Now with"), h("b", { class: "gz-holder" }, p.holder_label)]];
	if (p.since) rows.push([__("Since"), p.since]);
	if (p.deadline)
		rows.push([
			__("Submission deadline"),
			h("span", {}, __("{0} (Beijing time)", [p.deadline]), " ", p.overdue ? h("span", { class: "gz-tag gz-tag-accent" }, __("Overdue")) : h("span", { class: "gz-countdown", dataset: { countdownTo: p.deadline_iso } })),
		]);
	rows.push([__("What you do now"), h("span", { class: "gz-todo" }, p.todo)]);
	return h("div", { class: "gz-progress" + (p.overdue ? " overdue" : "") }, h("dl", {}, rows.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])));
}

// 退回修改: the reason pinned on top, with the fields it names (click: go to the field).
function returned_panel(returned, form) {
	if (!returned) return null;
	const fields = returned.fields || [];
	return h(
		"div",
		{ class: "alert alert-warning gz-returned-reason" },
		h("b", {}, __("Returned for revision")),
		"：",
		returned.reason,
		fields.length
			? h(
					"p",
					{ class: "gz-concerns" },
					__("Concerns") + "：",
					fields.map((f) =>
						h(
							"a",
							{
								href: "#",
								class: "gz-tag gz-tag-accent",
								onclick: (e) => {
									e.preventDefault();
									const input = form && form.querySelector(`[name="${CSS.escape(f.fieldname)}"]`);
									if (input) {
										input.scrollIntoView({ block: "center" });
										input.focus();
									}
								},
							},
							f.label
						)
					)
			  )
			: null
	);
}

gz.pages.cultivation = function () {
	const cf = gz.cultivation_form;
	const page = document.querySelector(".gz-cultivation");
	const center = page.querySelector(".gz-center");
	const form = page.querySelector(".gz-sub-form");
	const detail = page.querySelector(".gz-detail");
	const crumbs = document.querySelector(".gz-crumbs");
	const base_crumbs = crumbs ? [...crumbs.children].map((li) => li.cloneNode(true)) : [];
	let current = null; // the submission in the form or the detail view
	let autosave = null;
	let precheck_timer = null;

	function show(part, label) {
		center.style.display = part === "center" ? "" : "none";
		form.style.display = part === "form" ? "" : "none";
		detail.style.display = part === "detail" ? "" : "none";
		// Breadcrumbs: … › 创新平台管理中心 (a link back) › 填报 / 申报详情.
		if (crumbs) {
			const items = base_crumbs.map((li) => li.cloneNode(true));
			if (part !== "center") {
				const last = items[items.length - 1];
				gz.fill(last, h("a", { href: "/cultivation" }, last.textContent.trim()));
				items.push(h("li", {}, h("span", { "aria-current": "page" }, label)));
			}
			crumbs.replaceChildren(...items);
		}
		window.scrollTo(0, 0);
	}

	function go(hash) {
		if (window.location.hash !== hash) history.pushState(null, "", hash ? "#" + hash : window.location.pathname);
	}

	async function load_center() {
		stop_autosave();
		go("");
		show("center");
		const data = await api("get_center", {});
		gz.fill(
			page.querySelector(".gz-batches"),
			data.batches.length
				? data.batches.map((b) => {
						const when = [b.opens_at, b.closes_at];
						const window_text =
							b.state === "open" ? __("Open: {0} to {1}", when) : b.state === "upcoming" ? __("Not open yet: {0} to {1}", when) : __("Closed: {0} to {1}", when);
						const open = b.state === "open";
						const types = b.types.map((t) => {
							if (!b.ready_types.includes(t)) return h("span", { class: "gz-tag gz-tag-off gz-not-offered", dataset: { type: t } }, t + "：" + __("Not offered in this batch"));
							const closed = (b.closed_types || {})[t];
							if (closed) return h("span", { class: "gz-tag gz-tag-off gz-not-eligible", dataset: { type: t }, title: closed }, t + "：" + closed);
							if (open && data.is_admin)
								return h("button", { type: "button", class: "btn btn-sm btn-primary gz-fill", dataset: { type: t, batch: b.name }, onclick: () => open_form(t, b.name) }, __("Fill in") + "：" + t);
							return h("span", { class: "gz-tag" }, t);
						});
						return h(
							"div",
							{ class: "gz-batch", dataset: { batch: b.name } },
							h("b", {}, b.name),
							" ",
							h("span", { class: "gz-hint" }, window_text),
							open ? [" ", h("span", { class: "gz-countdown", dataset: { countdownTo: b.closes_at_iso } })] : null,
							h("div", {}, types),
							open && !data.is_admin ? h("p", { class: "text-muted" }, __("Only the enterprise admin can submit (manual §1.7).")) : null
						);
				  })
				: h("p", { class: "gz-muted" }, __("No batch is open now."))
		);
		const cell = gz.cell;
		gz.fill(
			page.querySelector(".gz-records tbody"),
			data.records.length
				? data.records.map((r) =>
						h(
							"tr",
							{ dataset: { name: r.name } },
							cell(__("Cultivation Type"), r.cultivation_type),
							cell(__("Batch"), r.batch),
							cell(__("Status"), r.status),
							cell(__("Overall Result"), r.overall_result || "—"),
							cell(__("Enterprise Recognition Status"), r.recognition_status || "—"),
							cell(
								__("Now with"),
								h("span", { class: "gz-holder" }, r.progress.holder_label),
								r.progress.deadline ? h("div", { class: "gz-hint" }, __("Submission deadline") + " " + r.progress.deadline, r.progress.overdue ? " · " + __("Overdue") : "") : null
							),
							cell(
								__("Actions"),
								h("button", { type: "button", class: "btn btn-xs btn-default gz-view", dataset: { name: r.name }, onclick: () => open_detail(r.name) }, __("View")),
								" ",
								data.is_admin && !r.read_only
									? h(
											"button",
											{ type: "button", class: "btn btn-xs btn-primary gz-continue", dataset: { name: r.name, type: r.cultivation_type, batch: r.batch }, onclick: () => open_form(r.cultivation_type, r.batch) },
											__("Continue")
									  )
									: null
							)
						)
				  )
				: h("tr", {}, h("td", { colspan: 7, class: "text-muted" }, __("No submissions yet")))
		);
		const certificates = data.recognitions || [];
		page.querySelector(".gz-recognitions").style.display = certificates.length ? "" : "none";
		gz.fill(
			page.querySelector(".gz-recognitions tbody"),
			certificates.map((c) =>
				h(
					"tr",
					{ dataset: { certificate: c.name } },
					cell(__("Certificate No."), c.name),
					cell(__("Recognised Platform"), c.platform_name),
					cell(__("Programme"), c.cultivation_type),
					cell(__("Recognised On"), c.recognised_on),
					cell(__("Valid Until"), c.valid_until),
					cell(__("Status"), c.status),
					cell(
						__("Actions"),
						h("a", { class: "btn btn-xs btn-default gz-certificate-pdf", href: "/api/method/gz_innovation.recognition.certificates.download?name=" + encodeURIComponent(c.name) }, __("Certificate (PDF)"))
					)
				)
			)
		);
		gz.start_countdowns();
	}

	function stop_autosave() {
		if (autosave) autosave.stop();
		autosave = null;
	}

	// 证明材料: saved at once (after the form's own save under way), the form shown again as the server
	// keeps it, the autosave carrying on from the new version.
	async function upload_evidence(fieldname, file) {
		const data = new FormData();
		data.append("name", current.name);
		data.append("fieldname", fieldname);
		data.append("file", file);
		await evidence_call(() => gz.call("gz_innovation.cultivation.api.upload_evidence", {}, { body: data }));
	}

	async function remove_evidence(row) {
		await evidence_call(() => api("remove_evidence", { name: current.name, row }));
	}

	async function evidence_call(task) {
		gz.clear_errors(form);
		try {
			if (autosave) await autosave.flush();
			const sub = await task();
			const y = window.scrollY;
			render_form(sub);
			window.scrollTo(0, y);
		} catch (error) {
			gz.show_error(form, error);
		}
	}

	async function open_form(cultivation_type, batch) {
		render_form(await api("open_submission", { cultivation_type, batch }));
	}

	function render_form(sub) {
		stop_autosave();
		current = sub;
		go("form/" + sub.name);
		show("form", __("Fill in") + "：" + sub.cultivation_type);
		gz.clear_errors(form);
		form.querySelector(".gz-sub-title").textContent = `${sub.cultivation_type} · ${sub.batch}`;
		gz.fill(form.querySelector(".gz-progress-slot"), progress_panel(sub.progress));
		gz.fill(
			form.querySelector(".gz-returned"),
			returned_panel(sub.returned, form),
			// The programme's form was changed in Desk since this draft was saved: it shows the new one.
			sub.form_changed ? h("div", { class: "alert alert-info gz-form-changed" }, __("The form of this programme has been updated since you last saved: please check the fields below before submitting.")) : null
		);
		form.querySelectorAll(".gz-conflict").forEach((el) => el.remove());
		const read_only = !!sub.read_only;
		gz.fill(
			form.querySelector(".gz-readonly-note"),
			read_only
				? h(
						"div",
						{ class: "alert alert-info gz-readonly" },
						sub.progress && sub.progress.closed
							? __("The batch closed at {0} (Beijing time): this draft is kept as it is and can no longer be changed or submitted.", [sub.progress.batch_closes_at])
							: __("This submission is {0} and cannot be changed.", [sub.status])
				  )
				: null
		);
		cf.render(form, sub, read_only, { upload: upload_evidence, remove: remove_evidence });
		(sub.returned ? sub.returned.fields : []).forEach((f) => form.querySelector(`[data-field="${CSS.escape(f.fieldname)}"]`)?.classList.add("gz-concerned"));
		form.querySelector(".gz-save").style.display = read_only ? "none" : "";
		form.querySelector(".gz-submit-sub").style.display = read_only ? "none" : "";
		form.querySelector(".gz-form-note").textContent = "";
		form.querySelector(".gz-save-state").textContent = "";
		gz.start_countdowns();
		if (!read_only) {
			autosave = new gz.Autosave({
				root: form,
				status: form.querySelector(".gz-save-state"),
				modified: sub.modified,
				collect: () => cf.collect(form, current),
				save: (values, modified) => api("save_submission", { name: current.name, values, modified }),
				on_saved: (result) => (current.modified = result.modified),
				on_conflict: (error) => conflict(error),
				on_refused: (error) => gz.show_error(form, error),
			});
		}
		precheck();
	}

	// The page's copy is out of date: submitted (or reviewed) elsewhere, or saved in another tab.
	async function conflict(error) {
		const latest = await api("get_submission", { name: current.name }).catch(() => null);
		if (latest && !latest.editable) {
			stop_autosave();
			render_detail(latest);
			gz.fill(detail.querySelector(".gz-detail-returned"), h("div", { class: "alert alert-info gz-submitted-elsewhere" }, __("This submission was submitted in another window; this page's unsaved changes were not applied.")));
			return;
		}
		gz.conflict_banner(form, error, {
			// The latest copy, read again now (the read above may have failed).
			reload: async () => render_form(await api("get_submission", { name: current.name })),
			keep_mine: async () => {
				const fresh = await api("get_submission", { name: current.name });
				current.modified = fresh.modified;
				await autosave.resume(fresh.modified);
			},
		});
	}

	async function precheck() {
		if (!current) return;
		try {
			const result = await api("precheck", { cultivation_type: current.cultivation_type, batch: current.batch, values: cf.figures(form, current) });
			gz.fill(form.querySelector(".gz-precheck"), evaluation_table(result.rows, result.overall), self_score_panel(result.self_score));
		} catch (error) {
			if (!error.network) gz.show_error(form, error);
		}
	}

	async function open_detail(name) {
		render_detail(await api("get_submission", { name }));
	}

	function render_detail(sub) {
		stop_autosave();
		current = sub;
		go("detail/" + sub.name);
		show("detail", __("Submission details"));
		detail.querySelector(".gz-detail-title").textContent = `${sub.cultivation_type} · ${sub.batch}`;
		gz.fill(detail.querySelector(".gz-detail-flash"));
		gz.fill(detail.querySelector(".gz-progress-slot"), progress_panel(sub.progress));
		gz.fill(detail.querySelector(".gz-detail-returned"), returned_panel(sub.returned, null));
		gz.fill(detail.querySelector(".gz-detail-status"), __("Status") + "：" + sub.status + " · " + __("Enterprise Recognition Status") + "：", h("b", { class: "gz-recognition" }, sub.recognition_status || "—"));
		gz.fill(detail.querySelector('.gz-tab[data-tab="values"]'), cf.values_table(sub));
		gz.fill(detail.querySelector('.gz-tab[data-tab="evaluation"]'), evaluation_table(sub.evaluation, sub.overall_result));
		gz.fill(
			detail.querySelector('.gz-tab[data-tab="history"]'),
			h(
				"table",
				{ class: "table table-bordered gz-history gz-stack" },
				h("thead", {}, h("tr", {}, h("th", {}, __("Status")), h("th", {}, __("By")), h("th", {}, __("Time")), h("th", {}, __("Comment")))),
				h(
					"tbody",
					{},
					sub.history.map((s) => h("tr", {}, gz.cell(__("Status"), s.state), gz.cell(__("By"), s.by), gz.cell(__("Time"), s.at), gz.cell(__("Comment"), s.comment)))
				)
			)
		);
		detail.querySelector(".gz-results-tab").style.display = sub.review_results ? "" : "none";
		gz.fill(detail.querySelector('.gz-tab[data-tab="results"]'), sub.review_results ? results_view(sub.review_results) : null);
		detail.querySelector(".gz-download-pdf").href = "/api/method/gz_innovation.cultivation.application.download?name=" + encodeURIComponent(sub.name);
		detail.querySelector(".gz-edit-sub").style.display = !sub.read_only ? "" : "none";
		select_tab("values");
		gz.start_countdowns();
	}

	// 评审结果, once the department released it: each figure as declared and as each expert verified it,
	// with the reason for every cut and the points of both (experts by number, never by name).
	function results_view(r) {
		const num = (v) => (v === null || v === undefined || v === "" ? "—" : String(Math.round(Number(v) * 100) / 100));
		const points = (v) => __("{0} points", [num(v)]);
		const rows = r.indicators.map((line) => {
			const quantitative = line.kind === "定量";
			const files = (line.evidence || []).map((file) => h("div", { class: "gz-evidence-file" }, h("a", { href: file.url, target: "_blank", rel: "noopener" }, file.file_name)));
			const declared = quantitative
				? [h("div", { class: "gz-declared-value" }, num(line.declared_value) + " " + line.unit), h("div", { class: "gz-hint" }, points(line.declared_points)), files.length ? h("div", { class: "gz-result-evidence" }, h("span", { class: "gz-hint" }, __("Evidence") + "："), files) : null]
				: h("span", { class: "gz-hint" }, __("Scored by the experts"));
			const verified = line.experts.map((e) =>
				h(
					"div",
					{ class: "gz-verified" + (e.cut ? " gz-cut" : "") },
					h("b", {}, e.expert + "："),
					quantitative ? num(e.verified_value) + " " + line.unit + " · " : "",
					points(e.points),
					e.cut ? h("div", { class: "gz-cut-reason" }, __("Cut") + "：" + e.cut_reason) : null
				)
			);
			return h("tr", { dataset: { indicator: line.indicator } }, gz.cell(__("Evaluation Indicator"), line.indicator, h("div", { class: "gz-hint" }, __("Weight {0}", [num(line.weight)]))), gz.cell(__("Declared"), declared), gz.cell(__("Verified by the Experts"), verified));
		});
		return [
			h(
				"p",
				{ class: "gz-results-summary" },
				__("Released on {0}.", [r.released_at]),
				" ",
				__("Score of the declared figures: {0}.", [num(r.declared_total)]),
				" ",
				__("Score of the expert panel ({0}):", [__(r.rule)]),
				" ",
				h("b", { class: "gz-panel-score" }, num(r.panel_score))
			),
			h(
				"table",
				{ class: "table table-bordered gz-results gz-stack" },
				h("thead", {}, h("tr", {}, h("th", {}, __("Evaluation Indicator")), h("th", {}, __("Declared")), h("th", {}, __("Verified by the Experts")))),
				h("tbody", {}, rows)
			),
			r.experts.some((e) => e.comment)
				? h("div", { class: "gz-expert-comments" }, h("h6", {}, __("Experts' Comments")), r.experts.filter((e) => e.comment).map((e) => h("p", {}, h("b", {}, e.expert + "："), e.comment)))
				: null,
		];
	}

	// The success of 提交申请, on top of 申报详情 until the page changes.
	function say_submitted(sub) {
		gz.fill(
			detail.querySelector(".gz-detail-flash"),
			h("div", { class: "alert alert-success gz-submitted", role: "status" }, __("Submitted at {0}. It is now with {1}; you will be told by SMS.", [gz.hhmm(), sub.progress.holder_label]))
		);
	}

	function select_tab(name) {
		detail.querySelectorAll(".nav-link").forEach((a) => a.classList.toggle("active", a.dataset.tab === name));
		detail.querySelectorAll(".gz-tab").forEach((p) => (p.style.display = p.dataset.tab === name ? "" : "none"));
	}

	async function save_now() {
		gz.clear_errors(form);
		try {
			await autosave.exclusive((modified) => api("save_submission", { name: current.name, values: cf.collect(form, current), modified }));
			autosave.say(__("Saved at {0}", [gz.hhmm()]), "saved");
			form.querySelector(".gz-form-note").textContent = __("Saved");
		} catch (error) {
			autosave.report(error, form);
		}
	}

	async function submit() {
		gz.clear_errors(form);
		const resubmit = current.status === "退回修改";
		const asked = await gz.confirm(
			resubmit ? __("Resubmit the application?") : __("Submit the application?"),
			__("{0} · {1}: once submitted, the application goes to the reviewers and cannot be changed unless it is returned for revision.", [current.cultivation_type, current.batch]),
			resubmit ? __("Resubmit") : __("Submit application")
		);
		if (!asked) return;
		const button = form.querySelector(".gz-submit-sub");
		button.disabled = true;
		try {
			// After any save under way, with the version it left: a submit never meets a stale autosave.
			const sub = await autosave.exclusive((modified) => api("submit_submission", { name: current.name, values: cf.collect(form, current), modified }));
			stop_autosave();
			render_detail(sub);
			select_tab("evaluation");
			say_submitted(sub);
		} catch (error) {
			if (error.network) {
				// The answer was lost: the submission may have gone through. Ask before saying anything.
				const latest = await api("get_submission", { name: current.name }).catch(() => null);
				if (latest && !latest.editable) {
					stop_autosave();
					render_detail(latest);
					select_tab("evaluation");
				} else gz.show_error(form, error);
			} else autosave.report(error, form);
		} finally {
			button.disabled = false;
		}
	}

	form.addEventListener("input", () => {
		clearTimeout(precheck_timer);
		precheck_timer = setTimeout(precheck, 300);
	});
	form.querySelector(".gz-save").addEventListener("click", save_now);
	form.querySelector(".gz-submit-sub").addEventListener("click", submit);
	page.querySelectorAll(".gz-back").forEach((b) =>
		b.addEventListener("click", async () => {
			if (autosave && !(await autosave.flush()) && autosave.pending() && !window.confirm(__("Your last changes are not saved yet. Leave anyway?"))) return;
			load_center().catch((error) => gz.show_error(page, error));
		})
	);
	detail.querySelector(".gz-edit-sub").addEventListener("click", () => render_form(current));
	detail.querySelectorAll(".nav-link").forEach((a) =>
		a.addEventListener("click", (e) => {
			e.preventDefault();
			select_tab(a.dataset.tab);
		})
	);

	async function route() {
		const [view, name] = window.location.hash.replace(/^#/, "").split("/");
		if (view === "form" && name) {
			const sub = await api("get_submission", { name: decodeURIComponent(name) });
			return sub.editable ? render_form(sub) : render_detail(sub);
		}
		if (view === "detail" && name) return open_detail(decodeURIComponent(name));
		return load_center();
	}
	window.addEventListener("popstate", () => route().catch((error) => gz.show_error(page, error)));
	route().catch((error) => {
		gz.show_error(page, error);
		if (window.location.hash) load_center().catch(() => {});
	});
};
