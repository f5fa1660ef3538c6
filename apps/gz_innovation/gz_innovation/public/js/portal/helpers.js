// The portal's one helper set: calling the server, showing its refusals beside the field they name
// (the gz_field protocol of gz_innovation.utils.throw_for_field), building markup safely (text is
// never parsed as HTML), the image captcha, the SMS code button with its countdown, times.
export const gz = (window.gz = window.gz || {});
gz.pages = {};
gz.data = JSON.parse(document.getElementById("gz-data")?.textContent || "{}");

// A refusal or failure of a server call. `network`: the request did not get through (offline, server
// restarting): worth trying again. `type`: the exception's class (e.g. TimestampMismatchError).
export class ServerError extends Error {
	constructor({ message, status = 0, type = null, field = null, network = false }) {
		super(message);
		this.status = status;
		this.type = type;
		this.field = field;
		this.network = network;
	}
}
gz.ServerError = ServerError;

function server_message(data) {
	try {
		return JSON.parse(data._server_messages || "[]")
			.map((raw) => {
				try {
					return JSON.parse(raw).message;
				} catch (e) {
					return raw;
				}
			})
			.filter(Boolean)
			.join(" ");
	} catch (e) {
		return "";
	}
}

const RETRYABLE = [0, 502, 503, 504];

// POST to a whitelisted method; resolves with its `message`, rejects with a ServerError.
gz.call = async function (method, args = {}, { body = null, timeout = 30000 } = {}) {
	const controller = new AbortController();
	const timer = setTimeout(() => controller.abort(), timeout);
	const headers = { Accept: "application/json", "X-Frappe-CSRF-Token": window.frappe.csrf_token || "" };
	if (!body) headers["Content-Type"] = "application/json";
	let response;
	try {
		response = await fetch("/api/method/" + method, {
			method: "POST",
			headers,
			body: body || JSON.stringify(args),
			credentials: "same-origin",
			signal: controller.signal,
		});
	} catch (e) {
		throw new ServerError({ message: __("The network is not available. Please check your connection."), network: true });
	} finally {
		clearTimeout(timer);
	}
	let data = {};
	try {
		data = await response.json();
	} catch (e) {
		data = {};
	}
	if (!response.ok) {
		const network = RETRYABLE.includes(response.status);
		throw new ServerError({
			message: server_message(data) || (network ? __("The server is busy. Please try again.") : ""),
			status: response.status,
			type: data.exc_type || null,
			field: data.gz_field || null,
			network,
		});
	}
	return data.message;
};

// Markup from data, safely: h("td", {class: "x"}, text, child, ...). Strings become text nodes.
// A field's condition as the server parsed it (portal/depends.py): does it hold for these values?
gz.holds = function (tree, values) {
	if (!tree) return true;
	const args = tree.args || [];
	if (tree.op === "and") return args.every((t) => gz.holds(t, values));
	if (tree.op === "or") return args.some((t) => gz.holds(t, values));
	if (tree.op === "not") return !gz.holds(args[0], values);
	let value = values[tree.field];
	if (tree.op === "set") return !!value && value !== "0" && !(Array.isArray(value) && !value.length);
	let wanted = tree.value;
	if (typeof wanted === "number") {
		value = value === "" || value == null ? NaN : Number(value);
		if (Number.isNaN(value)) return tree.op === "!=";
	} else value = value == null ? "" : String(value);
	return { "==": value === wanted, "!=": value !== wanted, ">": value > wanted, ">=": value >= wanted, "<": value < wanted, "<=": value <= wanted }[tree.op];
};

gz.h = function (tag, attrs, ...children) {
	const el = document.createElement(tag);
	for (const [key, value] of Object.entries(attrs || {})) {
		if (value === null || value === undefined || value === false) continue;
		if (key === "class") el.className = value;
		else if (key === "dataset") Object.assign(el.dataset, value);
		else if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
		else if (["checked", "selected", "disabled", "readOnly", "value"].includes(key)) el[key] = value;
		else el.setAttribute(key, value === true ? "" : String(value));
	}
	gz.append(el, children);
	return el;
};
gz.append = function (el, children) {
	for (const child of [children].flat(Infinity)) {
		if (child === null || child === undefined || child === false || child === "") continue;
		el.append(child instanceof Node ? child : String(child));
	}
	return el;
};
gz.fill = function (el, ...children) {
	el.replaceChildren();
	return gz.append(el, children);
};

// The <option>s of a select field: in groups (<optgroup>) when the server gives them (所属行业: 门类
// and 大类), else flat. A value no longer offered (chosen earlier, or from the previous platform) is
// shown as it is on a read-only form (`keep`), else not selected: `gz.withdrawn` says what it was.
gz.select_options = function (f, value, keep) {
	const option = (o) => gz.h("option", { value: o, selected: o === value }, o);
	const groups = f.option_groups || [];
	const options = groups.length
		? groups.map((g) => (g.label ? gz.h("optgroup", { label: g.label }, g.options.map(option)) : g.options.map(option)))
		: (f.options || []).map(option);
	const kept = keep && value && !(f.options || []).includes(value) ? option(value) : null;
	return [gz.h("option", { value: "" }, __("Please choose")), kept, options];
};
gz.withdrawn = function (f, value) {
	if (!value || (f.options || []).includes(value)) return null;
	return gz.h("div", { class: "gz-hint gz-withdrawn" }, __("{0}, chosen before, is no longer offered: please choose again.", [value]));
};

// A question in the page's own dialog (not the browser's): resolves true for `ok`, false otherwise.
gz.confirm = function (title, text, ok) {
	return new Promise((resolve) => {
		const dialog = gz.h(
			"dialog",
			{ class: "gz-dialog", "aria-labelledby": "gz-dialog-title" },
			gz.h("h4", { id: "gz-dialog-title" }, title),
			gz.h("p", {}, text),
			gz.h(
				"div",
				{ class: "gz-buttons" },
				gz.h("button", { type: "button", class: "btn btn-default gz-dialog-cancel", onclick: () => dialog.close("cancel") }, __("Cancel")),
				gz.h("button", { type: "button", class: "btn btn-primary gz-dialog-ok", onclick: () => dialog.close("ok") }, ok)
			)
		);
		dialog.addEventListener("close", () => {
			dialog.remove();
			resolve(dialog.returnValue === "ok");
		});
		document.body.append(dialog);
		dialog.showModal();
		dialog.querySelector(".gz-dialog-ok").focus();
	});
};

gz.clear_errors = function (root) {
	root.querySelectorAll(".gz-error").forEach((el) => (el.textContent = ""));
	root.querySelectorAll(".is-invalid").forEach((el) => el.classList.remove("is-invalid"));
	root.querySelectorAll(".gz-form-error").forEach((el) => (el.textContent = ""));
};

// The server's message beside the field it names (gz_field), else in the form's banner.
gz.show_error = function (root, error) {
	let message = (error && error.message) || "";
	if (!message || message === "Invalid login credentials") message = root.dataset.genericError || __("Something went wrong, please try again");
	// The field's own slot; the input is the field's, or the slot's neighbour (the licence's file input
	// is named apart from the field it fills).
	const slot = error && error.field && root.querySelector(`.gz-error[data-for="${CSS.escape(error.field)}"]`);
	const field = slot && (root.querySelector(`[name="${CSS.escape(error.field)}"]`) || slot.parentElement.querySelector("input, select, textarea"));
	if (slot && field) {
		field.classList.add("is-invalid");
		slot.textContent = message;
		field.scrollIntoView({ block: "center", behavior: "smooth" });
		return;
	}
	const banner = root.querySelector(".gz-form-error") || document.querySelector(".gz-page-error");
	if (banner) banner.textContent = message;
	else window.alert(message);
};

gz.captcha = function (form) {
	const img = form.querySelector(".gz-captcha-img");
	const token = form.querySelector('[name="captcha_token"]');
	const input = form.querySelector('[name="captcha"]');
	const refresh = () =>
		gz.call("gz_innovation.accounts.api.get_captcha").then((c) => {
			img.src = c.image;
			token.value = c.token;
			input.value = "";
		});
	img.addEventListener("click", refresh);
	form.querySelector(".gz-captcha-refresh").addEventListener("click", (e) => {
		e.preventDefault();
		refresh();
	});
	refresh().catch((error) => gz.show_error(form, error));
	return refresh;
};

gz.sms_button = function (form, purpose, refresh_captcha) {
	const button = form.querySelector(".gz-send-sms");
	const label = button.textContent;
	let timer = null;
	const countdown = (seconds) => {
		button.disabled = true;
		clearInterval(timer);
		const show = () => (button.textContent = __("Resend in {0}s", [seconds]));
		show();
		timer = setInterval(() => {
			seconds -= 1;
			show();
			if (seconds <= 0) {
				clearInterval(timer);
				button.disabled = false;
				button.textContent = label;
			}
		}, 1000);
	};
	button.addEventListener("click", (e) => {
		e.preventDefault();
		gz.clear_errors(form);
		gz.call("gz_innovation.accounts.api.send_sms_code", {
			mobile: form.mobile.value.trim(),
			purpose,
			captcha_token: form.captcha_token.value,
			captcha_answer: form.captcha.value.trim(),
		})
			.then((r) => {
				countdown(r.cooldown || 60);
				form.querySelector(".gz-form-note").textContent = __("The code has been sent, it is valid for 5 minutes");
			})
			.catch((error) => gz.show_error(form, error))
			.finally(() => refresh_captcha());
	});
};

// A form of the accounts module: on submit, call the method and go where the server says.
gz.submit = function (form, method, args_of, refresh_captcha) {
	form.addEventListener("submit", (e) => {
		e.preventDefault();
		gz.clear_errors(form);
		const button = form.querySelector('[type="submit"]');
		button.disabled = true;
		gz.call("gz_innovation.accounts.api." + method, args_of(form))
			.then((r) => {
				window.location.href = (r && r.redirect) || "/";
			})
			.catch((error) => {
				button.disabled = false;
				gz.show_error(form, error);
				if (refresh_captcha) refresh_captcha();
			});
	});
};

// hh:mm in Beijing time, the time every other time on the platform is given in.
const HHMM = new Intl.DateTimeFormat("zh-CN", { hour: "2-digit", minute: "2-digit", hour12: false, timeZone: "Asia/Shanghai" });
gz.hhmm = (date = new Date()) => HHMM.format(date);


// The time left until `until` (a Date), in words; "" once it has passed.
gz.time_left = function (until, now = new Date()) {
	let seconds = Math.floor((until - now) / 1000);
	if (seconds <= 0) return "";
	const days = Math.floor(seconds / 86400);
	seconds -= days * 86400;
	const hours = Math.floor(seconds / 3600);
	const minutes = Math.floor((seconds - hours * 3600) / 60);
	if (days) return __("{0} days {1} hours", [days, hours]);
	if (hours) return __("{0} hours {1} minutes", [hours, minutes]);
	return __("{0} minutes", [Math.max(minutes, 1)]);
};

// A table cell that names its column (shown as the row's label on a phone: .gz-stack).
gz.cell = (label, ...content) => gz.h("td", { dataset: { label } }, ...content);

// Every [data-countdown-to] element of the page (an ISO time with its offset) shows the time left,
// each half minute; call again after rendering new ones (one timer for the whole page).
gz.start_countdowns = function () {
	const update = () =>
		document.querySelectorAll("[data-countdown-to]").forEach((el) => {
			const left = gz.time_left(new Date(el.dataset.countdownTo));
			el.textContent = left ? __("Closes in {0}", [left]) : __("Closed");
			el.classList.toggle("gz-closed", !left);
		});
	update();
	clearInterval(gz._countdown_timer);
	gz._countdown_timer = setInterval(update, 30000);
};
