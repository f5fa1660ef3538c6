// The account pages (manual §2.1.1, §2.1.2): login, registration, password reset and change.
import { gz } from "./helpers.js";

gz.pages.login = function () {
	const form = document.querySelector(".gz-login-form");
	const refresh = gz.captcha(form);
	gz.submit(
		form,
		"login",
		(f) => ({
			identifier: f.identifier.value.trim(),
			password: f.password.value,
			captcha_token: f.captcha_token.value,
			captcha_answer: f.captcha.value.trim(),
			// Where the user was going (e.g. the home's 创新平台管理中心): the server decides if allowed.
			redirect_to: new URLSearchParams(window.location.search).get("redirect-to") || "",
		}),
		refresh
	);
};

gz.pages.register = function () {
	const form = document.querySelector(".gz-register-form");
	const refresh = gz.captcha(form);
	gz.sms_button(form, "register", refresh);
	gz.submit(form, "register", (f) => ({
		mobile: f.mobile.value.trim(),
		sms_code: f.sms_code.value.trim(),
		username: f.username.value.trim(),
		full_name: f.full_name.value.trim(),
		password: f.password.value,
		confirm_password: f.confirm_password.value,
		consent: f.consent.checked ? 1 : 0,
	}));
};

gz.pages["reset-password"] = function () {
	const form = document.querySelector(".gz-reset-form");
	const refresh = gz.captcha(form);
	gz.sms_button(form, "reset_password", refresh);
	gz.submit(form, "reset_password", (f) => ({
		mobile: f.mobile.value.trim(),
		sms_code: f.sms_code.value.trim(),
		password: f.password.value,
		confirm_password: f.confirm_password.value,
	}));
};

gz.pages["change-password"] = function () {
	const form = document.querySelector(".gz-change-form");
	gz.submit(form, "change_password", (f) => ({
		old_password: f.old_password.value,
		new_password: f.password.value,
		confirm_password: f.confirm_password.value,
	}));
};
