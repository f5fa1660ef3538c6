// 企业成员: join requests, staff accounts, roles, password reset, disable, admin transfer.
import { gz } from "./helpers.js";

const h = gz.h;

gz.pages.members = function ({ enterprise }) {
	const page = document.querySelector(".gz-members");
	const banner = page.querySelector(".gz-form-error");
	const done = page.querySelector(".gz-done");
	const api = (method, args) => gz.call("gz_innovation.enterprise.api." + method, args);
	// What the admin just did, said once it is done (and only then); the list shows the result.
	const tell = (message) => {
		done.textContent = message;
		done.hidden = !message;
		if (message) done.scrollIntoView({ block: "nearest" });
	};
	const act = (method, args, message) => {
		tell("");
		return api(method, args)
			.then(() => tell(message))
			.then(load)
			.catch((error) => gz.show_error(page, error));
	};
	const button = (label, onclick, primary = false) =>
		h("button", { type: "button", class: "btn btn-xs " + (primary ? "btn-primary" : "btn-default"), onclick }, label);
	const cell = gz.cell;

	async function load() {
		banner.textContent = "";
		const data = await api("list_members", { enterprise });
		gz.fill(
			page.querySelector(".gz-requests tbody"),
			data.join_requests.length
				? data.join_requests.map((r) =>
						h(
							"tr",
							{},
							cell(__("Name"), r.full_name),
							cell(__("Mobile number"), r.mobile_no),
							cell(
								__("Actions"),
								button(__("Approve"), () => act("decide_join_request", { request: r.name, approve: 1 }, __("{0} joined the enterprise.", [r.full_name])), true),
								" ",
								button(__("Reject"), () => {
									const reason = window.prompt(__("Reject reason"));
									if (reason !== null) act("decide_join_request", { request: r.name, approve: 0, reason }, __("The request of {0} was rejected.", [r.full_name]));
								})
							)
						)
				  )
				: h("tr", {}, h("td", { class: "text-muted" }, __("No pending requests")))
		);
		const roles = data.assignable_roles;
		gz.fill(
			page.querySelector(".gz-member-table tbody"),
			data.members.map((m) => {
				const boxes = Object.keys(roles).map((role) =>
					h(
						"label",
						{ class: "gz-check" },
						h("input", {
							type: "checkbox",
							dataset: { role, user: m.name },
							checked: m.roles.includes(role),
							disabled: m.is_admin,
							onchange: () => {
								const chosen = [...page.querySelectorAll(`[data-role][data-user="${CSS.escape(m.name)}"]:checked`)].map((b) => b.dataset.role);
								act("set_staff_roles", { enterprise, user: m.name, roles: chosen }, __("The roles of {0} were saved.", [m.full_name]));
							},
						}),
						" ",
						roles[role]
					)
				);
				const actions = m.is_admin
					? __("Enterprise admin")
					: [
							button(__("Reset password"), () => {
								const password = window.prompt(__("Default password"));
								if (password) act("reset_staff_password", { enterprise, user: m.name, default_password: password }, __("The password of {0} was reset; they change it at the next login.", [m.full_name]));
							}),
							" ",
							button(m.enabled ? __("Disable") : __("Enable"), () =>
								act("set_staff_enabled", { enterprise, user: m.name, enabled: m.enabled ? 0 : 1 }, m.enabled ? __("The account of {0} was disabled.", [m.full_name]) : __("The account of {0} was enabled.", [m.full_name]))
							),
							" ",
							button(__("Transfer admin role"), () => act("request_admin_transfer", { enterprise, to_user: m.name }, __("The transfer was sent to the regulator for approval."))),
					  ];
				return h(
					"tr",
					{ class: m.enabled ? "" : "text-muted" },
					cell(__("Name"), m.full_name, m.enabled ? "" : ` (${__("Disabled")})`),
					cell(__("Username"), m.username),
					cell(__("Mobile number"), m.mobile_no),
					cell(__("Roles"), boxes),
					cell(__("Actions"), actions)
				);
			})
		);
	}

	const add = page.querySelector(".gz-add-staff");
	add.addEventListener("submit", (e) => {
		e.preventDefault();
		gz.clear_errors(add);
		tell("");
		const who = add.full_name.value.trim();
		const username = add.username.value.trim();
		api("add_staff", {
			enterprise,
			mobile: add.mobile.value.trim(),
			username: add.username.value.trim(),
			full_name: add.full_name.value.trim(),
			default_password: add.default_password.value,
		})
			.then(() => {
				add.reset();
				tell(__("The staff account {0} ({1}) was added; it must change the default password at the first login.", [who, username]));
				return load();
			})
			// The password rule's problems name `password`: here it is the default password.
			.catch((error) => gz.show_error(add, error?.field === "password" ? Object.assign(error, { field: "default_password" }) : error));
	});
	load().catch((error) => gz.show_error(page, error));
};
