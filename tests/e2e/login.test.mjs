// The login page renders in Chinese whatever the browser's language; Administrator reaches Desk.
import assert from "node:assert/strict";
import { test } from "node:test";
import { BASE_URL, browserSession, deskPage, login, screenshot } from "./helpers.mjs";

const session = browserSession({ locale: "en-US" });

test("the login page is in Chinese for an English browser", async () => {
	const { page } = session;
	const response = await page.goto(`${BASE_URL}/login`);
	assert.equal(response.status(), 200);
	assert.equal(await page.getAttribute("html", "lang"), "zh");
	assert.equal(await page.title(), "登录");
	assert.equal((await page.locator(".gz-account-page h3").innerText()).trim(), "登录贵州省工业和信息化领域科技创新服务平台");
	assert.equal((await page.locator(".gz-submit").innerText()).trim(), "立即登录");
	assert.equal(await page.getAttribute('[name="identifier"]', "placeholder"), "统一社会信用代码/手机号/用户名");
	await page.locator(".gz-captcha-img[src^='data:image/png']").waitFor();
	await screenshot(page, "login-zh");
});

test("a wrong password gets one Chinese message", async () => {
	const { page } = session;
	await login(page, "nobody_here", "Wr0ngPassword");
	await page.locator(".gz-form-error", { hasText: "账号或密码错误" }).waitFor();
	await screenshot(page, "login-wrong-password");
});

test("Administrator logs in to a Chinese Desk without a setup wizard", async () => {
	const { browser } = session;
	const { context, page } = await deskPage(browser);
	try {
		await page.locator(".desk-sidebar, .layout-side-section").first().waitFor();
		assert.doesNotMatch(page.url(), /setup-wizard/);
		// A platform administrator lands on the department's workspace, in Chinese.
		await page.locator(".page-title", { hasText: "科技创新平台培育" }).first().waitFor();
		await screenshot(page, "desk-zh");
	} finally {
		await context.close();
	}
});
