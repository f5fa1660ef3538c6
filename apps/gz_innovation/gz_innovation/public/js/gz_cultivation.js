// 创新平台管理中心: batches, 申报记录, the 限定性指标 form with a live pre-check, 申报详情 with three tabs.
(function () {
	const T = window.gz_cultivation_i18n;
	const gz = window.gz_accounts;
	const page = document.querySelector(".gz-cultivation");
	const center = page.querySelector(".gz-center");
	const form = page.querySelector(".gz-sub-form");
	const detail = page.querySelector(".gz-detail");
	const esc = (s) => String(s ?? "").replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
	const api = (method, args) => gz.post("gz_innovation.cultivation.api." + method, args);
	const RESULT_CLASS = { 满足: "ok", 不满足: "no", 不适用: "na", 待填: "fill" };
	let current = null;
	let timer = null;

	function show(part) {
		center.style.display = part === "center" ? "" : "none";
		form.style.display = part === "form" ? "" : "none";
		detail.style.display = part === "detail" ? "" : "none";
	}

	function evaluationTable(rows, overall) {
		return `<table class="table table-bordered gz-evaluation"><thead><tr><th>${T.seq}</th><th>${T.indicator}</th><th>${T.value}</th><th>${T.result}</th></tr></thead><tbody>
			${rows.map((r) => `<tr title="${esc(r.explanation)}"><td>${r.seq}</td><td>${esc(r.label)}</td><td>${esc(r.value_display)}</td><td class="gz-result-${RESULT_CLASS[r.result] || "no"}">${esc(r.result)}</td></tr>`).join("")}
			</tbody></table>${overall ? `<p class="gz-overall"><b>${esc(T.overall)}：${esc(overall)}</b></p>` : ""}`;
	}

	async function loadCenter() {
		show("center");
		const data = await api("get_center", {});
		page.querySelector(".gz-batches").innerHTML = data.batches
			.map((b) => {
				const window_ = { open: T.open, upcoming: T.not_yet, closed: T.closed }[b.state].replace("{0}", b.opens_at).replace("{1}", b.closes_at);
				const open = b.state === "open";
				const buttons = open && data.is_admin
					? b.types.map((t) => `<button class="btn btn-sm btn-primary gz-fill" data-type="${esc(t)}" data-batch="${esc(b.name)}">${esc(T.fill)}：${esc(t)}</button>`).join(" ")
					: open ? `<span class="text-muted">${esc(T.only_admin)}</span>` : "";
				return `<div class="gz-batch"><b>${esc(b.name)}</b> <span class="gz-hint">${esc(window_)}</span><div>${buttons}</div></div>`;
			})
			.join("");
		page.querySelector(".gz-records tbody").innerHTML = data.records.length
			? data.records
					.map((r) => `<tr><td>${esc(r.cultivation_type)}</td><td>${esc(r.batch)}</td><td>${esc(r.status)}</td><td>${esc(r.overall_result || "")}</td><td>${esc(r.recognition_status || "")}</td>
				<td><button class="btn btn-xs btn-default gz-view" data-name="${esc(r.name)}">${esc(T.view)}</button>
				${["草稿", "退回修改"].includes(r.status) && data.is_admin ? `<button class="btn btn-xs btn-primary gz-continue" data-name="${esc(r.name)}" data-type="${esc(r.cultivation_type)}" data-batch="${esc(r.batch)}">${esc(T.continue_)}</button>` : ""}</td></tr>`)
					.join("")
			: `<tr><td colspan="6" class="text-muted">${esc(T.none)}</td></tr>`;
	}

	// One field of the form as the manual shows it: 是/否 as radio buttons with no default, a select,
	// a date, a number with its unit, a text.
	function fieldHtml(f, wide) {
		const name = esc(f.fieldname);
		const value = f.value ?? "";
		const star = f.required ? ' <span class="text-danger">*</span>' : "";
		let input;
		if (f.kind === "yes_no") {
			input = `<div class="gz-radios">${["否", "是"].map((o) => `<label class="gz-radio"><input type="radio" name="${name}" value="${o}" ${value === o ? "checked" : ""}> ${o}</label>`).join("")}</div>`;
		} else if (f.kind === "check") {
			input = `<label class="gz-radio"><input type="checkbox" name="${name}" ${value ? "checked" : ""}> ${esc(T.yes)}</label>`;
		} else if (f.kind === "select") {
			input = `<select class="form-control" name="${name}"><option value="">${esc(T.choose)}</option>${f.options.map((o) => `<option ${o === value ? "selected" : ""}>${esc(o)}</option>`).join("")}</select>`;
		} else if (f.fieldtype === "Small Text") {
			input = `<textarea class="form-control" name="${name}" rows="2">${esc(value)}</textarea>`;
		} else {
			const type = f.kind === "number" ? "number" : f.kind === "date" ? "date" : "text";
			const extra = f.kind === "number" ? `min="0" step="${f.fieldtype === "Int" ? 1 : "any"}"` : "";
			input = `<input class="form-control" type="${type}" name="${name}" value="${esc(value)}" ${extra} ${f.read_only ? "disabled" : ""}>`;
			if (f.unit) input = `<div class="input-group">${input}<div class="input-group-append"><span class="input-group-text">${esc(f.unit)}</span></div></div>`;
		}
		return `<div class="${wide ? "col-md-12" : "col-md-6"} form-group"><label>${esc(f.label)}${star}</label>${input}<div class="gz-error" data-for="${name}"></div></div>`;
	}

	function categoryHtml(c) {
		const described = c.options.find((o) => o.name === c.value);
		return `<div class="form-group"><label>${esc(c.label)} <span class="text-danger">*</span></label>
			<select class="form-control" name="${esc(c.fieldname)}"><option value="">${esc(T.choose)}</option>${c.options.map((o) => `<option ${o.name === c.value ? "selected" : ""}>${esc(o.name)}</option>`).join("")}</select>
			<div class="gz-hint gz-category-hint">${esc(described ? described.description : "")}</div>
			${c.withdrawn ? `<div class="alert alert-warning gz-category-withdrawn">${esc(T.withdrawn.replace("{0}", c.withdrawn))}</div>` : ""}
			<div class="gz-error" data-for="${esc(c.fieldname)}"></div></div>`;
	}

	function renderForm(sub) {
		current = sub;
		show("form");
		gz.clear_errors(form);
		form.querySelector(".gz-sub-title").textContent = `${sub.cultivation_type} · ${sub.batch}`;
		form.querySelector(".gz-returned").innerHTML = sub.review_comment ? `<div class="alert alert-warning">${esc(T.returned.replace("{0}", sub.review_comment))}</div>` : "";
		form.querySelector(".gz-basic").innerHTML = sub.basic.map((f) => fieldHtml(f, f.fieldtype === "Small Text")).join("");
		form.querySelector(".gz-category").innerHTML = categoryHtml(sub.category);
		form.querySelector(".gz-indicators").innerHTML = sub.indicators.map((f) => fieldHtml(f)).join("");
		form.querySelector(".gz-commitment-docx").href = "/api/method/gz_innovation.cultivation.commitment.download?name=" + encodeURIComponent(sub.name);
		form.commitment.checked = !!sub.commitment;
		precheck();
	}

	function valueOf(f) {
		if (f.kind === "yes_no") return form.querySelector(`[name="${f.fieldname}"]:checked`)?.value || "";
		const input = form.querySelector(`[name="${f.fieldname}"]`);
		return f.kind === "check" ? (input.checked ? 1 : 0) : input.value.trim();
	}

	function collect() {
		const values = {};
		current.basic.filter((f) => !f.read_only).forEach((f) => (values[f.fieldname] = valueOf(f)));
		values[current.category.fieldname] = form.querySelector(`[name="${current.category.fieldname}"]`).value;
		current.indicators.forEach((f) => (values[f.fieldname] = valueOf(f)));
		values.commitment = form.commitment.checked ? 1 : 0;
		return values;
	}

	async function precheck() {
		// Every value goes: a rule may depend on any field (the category, the industry, ...).
		const values = collect();
		delete values.commitment;
		try {
			const result = await api("precheck", { cultivation_type: current.cultivation_type, batch: current.batch, values });
			form.querySelector(".gz-precheck").innerHTML = evaluationTable(result.rows, result.overall);
		} catch (data) {
			gz.show_error(form, data);
		}
	}

	function shown(f) {
		if (f.kind === "check") return f.value ? T.yes : T.no;
		if (f.value === null || f.value === undefined || f.value === "") return "";
		return f.unit ? `${f.value} ${f.unit}` : f.value;
	}

	async function renderDetail(name) {
		const sub = await api("get_submission", { name });
		show("detail");
		detail.querySelector(".gz-detail-title").textContent = `${sub.cultivation_type} · ${sub.batch}`;
		detail.querySelector(".gz-detail-status").innerHTML = `${esc(T.state)}：${esc(sub.status)} · ${esc(T.recognition)}：<b class="gz-recognition">${esc(sub.recognition_status || "")}</b>`;
		const row = (f) => `<tr data-field="${esc(f.fieldname)}"><th>${esc(f.label)}</th><td>${esc(shown(f))}</td></tr>`;
		const category = { fieldname: sub.category.fieldname, label: sub.category.label, value: sub.category.value };
		detail.querySelector('.gz-tab[data-tab="values"]').innerHTML = `<h5>${esc(T.basic_info)}</h5>
			<table class="table table-bordered gz-detail-basic">${[...sub.basic, category].map(row).join("")}</table>
			<h5>${esc(T.indicators)}</h5><table class="table table-bordered gz-detail-indicators">${sub.indicators.map(row).join("")}</table>`;
		detail.querySelector('.gz-tab[data-tab="evaluation"]').innerHTML = evaluationTable(sub.evaluation, sub.overall_result);
		detail.querySelector(".gz-download-pdf").href = "/api/method/gz_innovation.cultivation.application.download?name=" + encodeURIComponent(sub.name);
		detail.querySelector('.gz-tab[data-tab="history"]').innerHTML = `<table class="table table-bordered gz-history"><thead><tr><th>${T.state}</th><th>${T.by}</th><th>${T.at}</th><th>${T.comment}</th></tr></thead><tbody>${sub.history
			.map((h) => `<tr><td>${esc(h.state)}</td><td>${esc(h.by)}</td><td>${esc(h.at)}</td><td>${esc(h.comment)}</td></tr>`)
			.join("")}</tbody></table>`;
	}

	page.addEventListener("click", async (e) => {
		const t = e.target;
		try {
			if (t.classList.contains("gz-fill") || t.classList.contains("gz-continue")) {
				renderForm(await api("open_submission", { cultivation_type: t.dataset.type, batch: t.dataset.batch }));
			}
			if (t.classList.contains("gz-view")) await renderDetail(t.dataset.name);
			if (t.classList.contains("gz-back")) await loadCenter();
			if (t.dataset.tab) {
				e.preventDefault();
				detail.querySelectorAll(".nav-link").forEach((a) => a.classList.toggle("active", a === t));
				detail.querySelectorAll(".gz-tab").forEach((p) => (p.style.display = p.dataset.tab === t.dataset.tab ? "" : "none"));
			}
		} catch (data) {
			gz.show_error(page, data);
		}
	});
	form.addEventListener("input", () => {
		clearTimeout(timer);
		timer = setTimeout(precheck, 300);
	});
	// A choice (the category, 是/否, a select) is checked at once.
	form.addEventListener("change", (e) => {
		if (!["SELECT", "INPUT"].includes(e.target.tagName) || e.target.type === "text" || e.target.type === "number") return;
		if (e.target.name === current.category.fieldname) {
			const chosen = current.category.options.find((o) => o.name === e.target.value);
			form.querySelector(".gz-category-hint").textContent = chosen ? chosen.description : "";
		}
		clearTimeout(timer);
		precheck();
	});
	form.querySelector(".gz-save").addEventListener("click", async () => {
		gz.clear_errors(form);
		try {
			current = await api("save_submission", { name: current.name, values: collect() });
			form.querySelector(".gz-form-note").textContent = T.saved;
		} catch (data) {
			gz.show_error(form, data);
		}
	});
	form.querySelector(".gz-submit-sub").addEventListener("click", async () => {
		gz.clear_errors(form);
		try {
			const sub = await api("submit_submission", { name: current.name, values: collect() });
			await renderDetail(sub.name);
			detail.querySelector('.nav-link[data-tab="evaluation"]').click();
		} catch (data) {
			gz.show_error(form, data);
		}
	});
	loadCenter().catch((data) => gz.show_error(page, data));
})();
