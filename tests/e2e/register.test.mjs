// Manual §2.1.1–2.1.2: register through the page, log out, log in by username, then by mobile.
import assert from "node:assert/strict";
import { test } from "node:test";
import { BASE_URL, browserSession, lastSmsCode, login, randomMobile, screenshot, solveCaptcha } from "./helpers.mjs";

const session = browserSession();
const mobile = randomMobile();
const username = "e2e_" + Date.now().toString(36);
const password = "E2ePass1234";

// 退出登录 in the top bar: a POST with the page's CSRF token, then the home page.
async function logout(page) {
	await page.click(".gz-logout");
	await page.waitForURL((url) => url.pathname === "/");
	await page.goto(`${BASE_URL}/account-center`);
	await page.waitForURL(/\/login/);
}

test("a new user registers, then logs in with username and with mobile", async () => {
	const { page } = session;
	await page.goto(`${BASE_URL}/register`);
	await screenshot(page, "register-empty");

	await page.fill('[name="mobile"]', mobile);
	await solveCaptcha(page);
	await page.click(".gz-send-sms");
	await page.locator(".gz-form-note", { hasText: "验证码已发送" }).waitFor();
	assert.match(await page.locator(".gz-send-sms").innerText(), /秒后重新发送/);
	const code = await lastSmsCode(page, mobile);
	assert.match(code, /^\d{6}$/);

	await page.fill('[name="sms_code"]', code);
	await page.fill('[name="username"]', username);
	await page.fill('[name="full_name"]', "端到端测试");
	await page.fill('[name="password"]', password);
	await page.fill('[name="confirm_password"]', "Different123");
	await page.check('[name="consent"]');
	await page.click(".gz-submit");
	// The server's rule shows beside the field it names.
	await page.locator('.gz-error[data-for="confirm_password"]', { hasText: "两次输入的密码不一致" }).waitFor();
	await screenshot(page, "register-error");

	await page.fill('[name="confirm_password"]', password);
	await page.click(".gz-submit");
	await page.waitForURL(/\/account-center/);
	await page.locator(".gz-certify-prompt", { hasText: "企业认证" }).waitFor();
	assert.match(await page.locator(".gz-account-center").innerText(), new RegExp(username));
	await screenshot(page, "account-center");

	await logout(page);
	await login(page, username, password);
	await page.waitForURL(/\/account-center/);
	await screenshot(page, "account-center-after-username-login");

	await logout(page);
	await login(page, mobile, password);
	await page.waitForURL(/\/account-center/);
	assert.match(await page.locator(".gz-account-center").innerText(), /端到端测试/);
	await screenshot(page, "account-center-after-mobile-login");
});
