// Integrity in the browser: an enterprise admin tries to poison its licence field through Frappe's REST
// API and is refused (a portal user reaches only the portal's methods); a reviewer opens in Desk an
// enterprise whose fields hold markup with scripts (as if it had reached the database another way) and
// no script runs.
import assert from "node:assert/strict";
import { test } from "node:test";
import { BASE_URL, browserSession, fixtures, login, screenshot } from "./helpers.mjs";

const session = browserSession();
const XSS = '<img src=x onerror="window.__gz_xss=1">';

test("the admin's poisoned licence is refused: a portal user reaches none of Frappe's REST", { skip: !fixtures.security }, async () => {
	const { page } = session;
	await login(page, fixtures.mobile, fixtures.password);
	await page.waitForURL(/\/account-center/);
	const csrf = await page.evaluate(() => window.frappe?.csrf_token || "");
	assert.ok(csrf && csrf !== "None", "the portal page carries the session's CSRF token");
	const response = await page.request.put(`${BASE_URL}/api/resource/Enterprise/${fixtures.enterprise}`, {
		data: { business_licence: XSS, registered_capital: 99999 },
		headers: { "X-Frappe-CSRF-Token": csrf, Accept: "application/json" },
	});
	assert.equal(response.status(), 403);
	const body = await response.json();
	assert.doesNotMatch(JSON.stringify(body), /Traceback/);
	const messages = JSON.parse(body._server_messages || "[]").map((m) => JSON.parse(m).message);
	assert.match(messages.join(" "), /无权/);
	// Reading through Frappe's REST is refused too; the portal shows the enterprise on its own pages.
	const read = await page.request.get(`${BASE_URL}/api/resource/Enterprise/${fixtures.enterprise}`);
	assert.equal(read.status(), 403);
	await page.goto(`${BASE_URL}/account-center`);
	assert.doesNotMatch(await page.locator("body").innerText(), /99999/);
});

test("a reviewer opens a poisoned enterprise in Desk and no script runs", { skip: !fixtures.security }, async () => {
	const { browser } = session;
	const context = await browser.newContext({ locale: "zh-CN", viewport: { width: 1280, height: 900 } });
	const page = await context.newPage();
	const dialogs = [];
	page.on("dialog", async (dialog) => {
		dialogs.push(dialog.message());
		await dialog.dismiss();
	});
	const { reviewer, password, enterprise } = fixtures.security;
	await login(page, reviewer, password);
	await page.waitForURL(/\/app/, { waitUntil: "domcontentloaded" });
	await page.goto(`${BASE_URL}/app/enterprise/${enterprise}`, { waitUntil: "domcontentloaded" });
	await page.locator(".form-tabs .nav-link", { hasText: "企业信息" }).click(); // the licence's tab
	await page.locator('.frappe-control[data-fieldname="business_licence"]').waitFor();
	await page.waitForTimeout(1500); // time for any injected handler to fire
	assert.equal(await page.evaluate(() => window.__gz_xss), undefined);
	await screenshot(page, "desk-enterprise-poisoned-licence");
	await page.goto(`${BASE_URL}/app/enterprise?name=${enterprise}`, { waitUntil: "domcontentloaded" });
	await page.locator(".list-row-container").first().waitFor();
	await page.waitForTimeout(1000);
	assert.equal(await page.evaluate(() => window.__gz_xss), undefined);
	assert.deepEqual(dialogs, []);
	await context.close();
});
