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
	let current = null;
	let timer = null;

	function show(part) {
		center.style.display = part === "center" ? "" : "none";
		form.style.display = part === "form" ? "" : "none";
		detail.style.display = part === "detail" ? "" : "none";
	}

	function evaluationTable(rows, overall) {
		return `<table class="table table-bordered gz-evaluation"><thead><tr><th>${T.seq}</th><th>${T.indicator}</th><th>${T.value}</th><th>${T.result}</th></tr></thead><tbody>
			${rows.map((r) => `<tr title="${esc(r.explanation)}"><td>${r.seq}</td><td>${esc(r.label)}</td><td>${esc(r.value_display)}</td><td class="gz-result-${r.result === "满足" ? "ok" : "no"}">${esc(r.result)}</td></tr>`).join("")}
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

	function renderForm(sub) {
		current = sub;
		show("form");
		gz.clear_errors(form);
		form.querySelector(".gz-sub-title").textContent = `${sub.cultivation_type} · ${sub.batch}`;
		form.querySelector(".gz-returned").innerHTML = sub.review_comment ? `<div class="alert alert-warning">${esc(T.returned.replace("{0}", sub.review_comment))}</div>` : "";
		form.querySelector(".gz-basic").innerHTML = Object.keys(T.basic)
			.map((f) => `<div class="col-md-6 form-group"><label>${esc(T.basic[f])}</label><input class="form-control" name="${f}" value="${esc(sub.basic[f])}"><div class="gz-error" data-for="${f}"></div></div>`)
			.join("");
		form.querySelector(".gz-indicators").innerHTML = sub.indicators
			.map((f) =>
				f.fieldtype === "Check"
					? `<div class="col-md-6 form-group"><label><input type="checkbox" name="${f.fieldname}" ${f.value ? "checked" : ""}> ${esc(f.label)}</label><div class="gz-error" data-for="${f.fieldname}"></div></div>`
					: `<div class="col-md-6 form-group"><label>${esc(f.label)}</label><input class="form-control" type="number" min="0" step="${f.fieldtype === "Int" ? 1 : "any"}" name="${f.fieldname}" value="${f.value ?? ""}"><div class="gz-error" data-for="${f.fieldname}"></div></div>`
			)
			.join("");
		form.commitment.checked = !!sub.commitment;
		precheck();
	}

	function collect() {
		const values = {};
		Object.keys(T.basic).forEach((f) => (values[f] = form.querySelector(`[name="${f}"]`).value.trim()));
		current.indicators.forEach((f) => {
			const input = form.querySelector(`[name="${f.fieldname}"]`);
			values[f.fieldname] = f.fieldtype === "Check" ? (input.checked ? 1 : 0) : input.value.trim();
		});
		values.commitment = form.commitment.checked ? 1 : 0;
		return values;
	}

	async function precheck() {
		const values = collect();
		delete values.commitment;
		Object.keys(T.basic).forEach((f) => delete values[f]);
		try {
			const result = await api("precheck", { cultivation_type: current.cultivation_type, batch: current.batch, values });
			form.querySelector(".gz-precheck").innerHTML = evaluationTable(result.rows, result.overall);
		} catch (data) {
			gz.show_error(form, data);
		}
	}

	async function renderDetail(name) {
		const sub = await api("get_submission", { name });
		show("detail");
		detail.querySelector(".gz-detail-title").textContent = `${sub.cultivation_type} · ${sub.batch}`;
		detail.querySelector(".gz-detail-status").innerHTML = `${esc(T.state)}：${esc(sub.status)} · ${esc(T.recognition)}：<b class="gz-recognition">${esc(sub.recognition_status || "")}</b>`;
		detail.querySelector('.gz-tab[data-tab="values"]').innerHTML = `<table class="table table-bordered">${sub.indicators
			.map((f) => `<tr><th>${esc(f.label)}</th><td>${f.fieldtype === "Check" ? (f.value ? T.yes : T.no) : esc(f.value)}</td></tr>`)
			.join("")}</table>`;
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
