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
