// 企业成员: join requests, staff accounts, roles, password reset, disable, admin transfer.
(function () {
	const T = window.gz_members_i18n;
	const gz = window.gz_accounts;
	const page = document.querySelector(".gz-members");
	const enterprise = page.dataset.enterprise;
	const banner = page.querySelector(".gz-form-error");
	const esc = (s) => String(s ?? "").replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
	const api = (method, args) => gz.post("gz_innovation.enterprise.api." + method, args);
	const act = (method, args) =>
		api(method, args)
			.then(load)
			.catch((data) => gz.show_error(page, data));

	async function load() {
		banner.textContent = "";
		const data = await api("list_members", { enterprise });
		const requests = page.querySelector(".gz-requests tbody");
		requests.innerHTML = data.join_requests.length
			? data.join_requests
					.map(
						(r) => `<tr><td>${esc(r.full_name)}</td><td>${esc(r.mobile_no)}</td><td>
				<button class="btn btn-xs btn-primary" data-approve="${esc(r.name)}">${esc(T.approve)}</button>
				<button class="btn btn-xs btn-default" data-reject="${esc(r.name)}">${esc(T.reject)}</button></td></tr>`
					)
					.join("")
			: `<tr><td class="text-muted">${esc(T.none)}</td></tr>`;
		const roles = data.assignable_roles;
		page.querySelector(".gz-member-table tbody").innerHTML = data.members
			.map((m) => {
				const roleBoxes = Object.keys(roles)
					.map((role) => `<label><input type="checkbox" data-role="${esc(role)}" data-user="${esc(m.name)}" ${m.roles.includes(role) ? "checked" : ""} ${m.is_admin ? "disabled" : ""}> ${esc(roles[role])}</label>`)
					.join(" ");
				const actions = m.is_admin
					? esc(T.admin)
					: `<button class="btn btn-xs btn-default" data-reset="${esc(m.name)}">${esc(T.reset)}</button>
					   <button class="btn btn-xs btn-default" data-enable="${esc(m.name)}" data-to="${m.enabled ? 0 : 1}">${esc(m.enabled ? T.disable : T.enable)}</button>
					   <button class="btn btn-xs btn-default" data-transfer="${esc(m.name)}">${esc(T.make_admin)}</button>`;
				return `<tr class="${m.enabled ? "" : "text-muted"}"><td>${esc(m.full_name)}${m.enabled ? "" : " (" + esc(T.disabled) + ")"}</td><td>${esc(m.username)}</td><td>${esc(m.mobile_no)}</td><td>${roleBoxes}</td><td>${actions}</td></tr>`;
			})
			.join("");
	}

	page.addEventListener("click", (e) => {
		const t = e.target;
		if (t.dataset.approve) act("decide_join_request", { request: t.dataset.approve, approve: 1 });
		if (t.dataset.reject) {
			const reason = window.prompt(T.reason);
			if (reason !== null) act("decide_join_request", { request: t.dataset.reject, approve: 0, reason });
		}
		if (t.dataset.reset) {
			const password = window.prompt(T.new_password);
			if (password) act("reset_staff_password", { enterprise, user: t.dataset.reset, default_password: password });
		}
		if (t.dataset.enable) act("set_staff_enabled", { enterprise, user: t.dataset.enable, enabled: +t.dataset.to });
		if (t.dataset.transfer)
			api("request_admin_transfer", { enterprise, to_user: t.dataset.transfer })
				.then(() => (banner.textContent = T.transfer_sent))
				.catch((data) => gz.show_error(page, data));
	});
	page.addEventListener("change", (e) => {
		const t = e.target;
		if (!t.dataset.role) return;
		const user = t.dataset.user;
		const chosen = [...page.querySelectorAll(`[data-role][data-user="${user}"]:checked`)].map((b) => b.dataset.role);
		act("set_staff_roles", { enterprise, user, roles: chosen });
	});
	const add = page.querySelector(".gz-add-staff");
	add.addEventListener("submit", (e) => {
		e.preventDefault();
		gz.clear_errors(add);
		api("add_staff", {
			enterprise,
			mobile: add.mobile.value.trim(),
			username: add.username.value.trim(),
			full_name: add.full_name.value.trim(),
			default_password: add.default_password.value,
		})
			.then(() => {
				add.reset();
				load();
			})
			.catch((data) => gz.show_error(add, data));
	});
	load();
})();
