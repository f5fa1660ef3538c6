// The login page renders in Chinese whatever the browser's language.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { BASE_URL, launch, screenshot } from "./helpers.mjs";

let session;

before(async () => {
	session = await launch({ locale: "en-US" });
});

after(async () => {
	await session?.browser.close();
});

test("the login page is in Chinese for an English browser", async () => {
	const { page } = session;
	const response = await page.goto(`${BASE_URL}/login`);
	assert.equal(response.status(), 200);
	assert.equal(await page.getAttribute("html", "lang"), "zh");
	await page.locator(".for-login").waitFor();
	const loginButton = page.locator(".for-login .btn-login");
	assert.match((await loginButton.innerText()).trim(), /登录/);
	assert.equal(await page.title(), "登录");
	const heading = (await page.locator(".for-login h4").innerText()).trim();
	assert.equal(heading, "登录贵州省工业和信息化领域科技创新服务平台");
	await screenshot(page, "login-zh");
});

test("Administrator logs in to a Chinese Desk without a setup wizard", async () => {
	const { browser } = session;
	const context = await browser.newContext({ locale: "zh-CN", viewport: { width: 1280, height: 900 } });
	const page = await context.newPage();
	try {
		await page.goto(`${BASE_URL}/login`);
		await page.fill("#login_email", "Administrator");
		await page.fill("#login_password", process.env.E2E_ADMIN_PASSWORD || "admin");
		await page.click(".for-login .btn-login");
		await page.waitForURL(/\/app/, { waitUntil: "domcontentloaded" });
		await page.locator(".desk-sidebar, .layout-side-section").first().waitFor();
		assert.doesNotMatch(page.url(), /setup-wizard/);
		await page.getByText("快捷方式").first().waitFor();
		await screenshot(page, "desk-zh");
	} finally {
		await context.close();
	}
});
