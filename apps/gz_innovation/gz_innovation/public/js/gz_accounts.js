// Shared behaviour of the account pages: captcha refresh, SMS countdown, server errors beside fields.
(function () {
	const gz = (window.gz_accounts = {});

	// POST JSON to a whitelisted method; resolves with `message`, rejects with the response body.
	gz.post = async function (method, args) {
		const response = await fetch("/api/method/" + method, {
			method: "POST",
			headers: {
				Accept: "application/json",
				"Content-Type": "application/json",
				"X-Frappe-CSRF-Token": (window.frappe && frappe.csrf_token) || "",
			},
			body: JSON.stringify(args || {}),
		});
		let data = {};
		try {
			data = await response.json();
		} catch (e) {
			data = {};
		}
		if (!response.ok) throw data;
		return data.message;
	};

	gz.call = (method, args) => gz.post("gz_innovation.accounts.api." + method, args);

	gz.clear_errors = function (form) {
		form.querySelectorAll(".gz-error").forEach((el) => (el.textContent = ""));
		form.querySelectorAll(".is-invalid").forEach((el) => el.classList.remove("is-invalid"));
		const banner = form.querySelector(".gz-form-error");
		if (banner) banner.textContent = "";
	};

	// Show the server's message beside the field it names (response.gz_field), else on top.
	// Show the server's message beside the field it names (gz_field), else above the button.
	gz.show_error = function (form, data) {
		let message = "";
		try {
			message = JSON.parse(data._server_messages || "[]")
				.map((m) => {
					try {
						return JSON.parse(m).message;
					} catch (e) {
						return m;
					}
				})
				.join(" ");
		} catch (e) {
			message = "";
		}
		if (!message || message === "Invalid login credentials") message = form.dataset.genericError;
		const field = data.gz_field && form.querySelector(`[name="${data.gz_field}"]`);
		const slot = field && form.querySelector(`.gz-error[data-for="${data.gz_field}"]`);
		if (slot) {
			field.classList.add("is-invalid");
			slot.textContent = message;
		} else {
			form.querySelector(".gz-form-error").textContent = message;
		}
	};

	gz.captcha = function (form) {
		const img = form.querySelector(".gz-captcha-img");
		const token = form.querySelector('[name="captcha_token"]');
		const input = form.querySelector('[name="captcha"]');
		const refresh = () =>
			gz.call("get_captcha", {}).then((c) => {
				img.src = c.image;
				token.value = c.token;
				input.value = "";
			});
		img.addEventListener("click", refresh);
		form.querySelector(".gz-captcha-refresh").addEventListener("click", (e) => {
			e.preventDefault();
			refresh();
		});
		refresh();
		return refresh;
	};

	gz.sms_button = function (form, purpose, refresh_captcha) {
		const button = form.querySelector(".gz-send-sms");
		const label = button.textContent;
		let timer = null;
		const countdown = (seconds) => {
			button.disabled = true;
			clearInterval(timer);
			timer = setInterval(() => {
				seconds -= 1;
				button.textContent = button.dataset.countdown.replace("{0}", seconds);
				if (seconds <= 0) {
					clearInterval(timer);
					button.disabled = false;
					button.textContent = label;
				}
			}, 1000);
			button.textContent = button.dataset.countdown.replace("{0}", seconds);
		};
		button.addEventListener("click", (e) => {
			e.preventDefault();
			gz.clear_errors(form);
			gz.call("send_sms_code", {
				mobile: form.mobile.value.trim(),
				purpose: purpose,
				captcha_token: form.captcha_token.value,
				captcha_answer: form.captcha.value.trim(),
			})
				.then((r) => {
					countdown(r.cooldown || 60);
					form.querySelector(".gz-form-note").textContent = button.dataset.sent;
				})
				.catch((data) => gz.show_error(form, data))
				.finally(() => refresh_captcha());
		});
	};

	gz.submit = function (form, method, args_of, refresh_captcha) {
		form.addEventListener("submit", (e) => {
			e.preventDefault();
			gz.clear_errors(form);
			gz.call(method, args_of(form))
				.then((r) => {
					window.location.href = (r && r.redirect) || "/";
				})
				.catch((data) => {
					gz.show_error(form, data);
					if (refresh_captcha) refresh_captcha();
				});
		});
	};
})();
