// What enterprises type stays inert everywhere (the boundary issue). Every declared text field of an
// Enterprise and of its submitted application holds markup (JSON-shaped, <img onerror>, a <style> that
// would hide the evaluation, an <img> pointing at a loopback listener of this test), as if it had reached
// the database another way: the app refuses to save markup on every path, which the integration tests
// prove. The 市州 and the 省厅 reviewer open both in Desk (form and list), the print view and the PDF:
// no script runs, no dialog opens, nothing is hidden, the listener counts no request, and the PDF's
// text (pdftotext) holds the real 指标评定.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { BASE_URL, OUTPUT_DIR, browserSession, fixtures, login, screenshot } from "./helpers.mjs";

const security = fixtures.security || {};
const session = browserSession();
const listener = { requests: [] };

before(async () => {
	if (!security.listener_port) return;
	listener.server = createServer((request, response) => {
		listener.requests.push(request.url);
		response.end("x");
	});
	await new Promise((resolve) => listener.server.listen(security.listener_port, "127.0.0.1", resolve));
});
after(async () => {
	await new Promise((resolve) => (listener.server ? listener.server.close(resolve) : resolve()));
});

async function reviewerPage(user) {
	const context = await session.browser.newContext({ locale: "zh-CN", viewport: { width: 1280, height: 900 } });
	const page = await context.newPage();
	const dialogs = [];
	page.on("dialog", async (dialog) => {
		dialogs.push(dialog.message());
		await dialog.dismiss();
	});
	await login(page, user, security.password);
	await page.waitForURL(/\/app/, { waitUntil: "domcontentloaded" });
	return { context, page, dialogs };
}

async function assertInert(page, where) {
	await page.waitForTimeout(1200); // time for any injected handler to fire
	assert.equal(await page.evaluate(() => window.__gz_xss), undefined, `a script ran on ${where}`);
}

const SUBMISSION = "Cultivation Submission";

for (const [who, key] of [
	["市州", "city_reviewer"],
	["省厅", "reviewer"],
]) {
	test(`the ${who} reviewer opens the enterprise and its application in Desk and nothing runs`, { skip: !security.listener_port }, async () => {
		const { context, page, dialogs } = await reviewerPage(security[key]);
		await page.goto(`${BASE_URL}/app/enterprise/${security.enterprise}`, { waitUntil: "domcontentloaded" });
		// Enterprise's tabs are the certification's steps: what the enterprise wrote is on 企业信息.
		await page.locator(".form-tabs .nav-link", { hasText: "企业信息" }).click();
		await page.locator('.frappe-control[data-fieldname="introduction"]').waitFor();
		await assertInert(page, "the enterprise's form");
		const shown = await page.locator(".layout-main-section").innerText();
		assert.match(shown, /onerror/, "the markup is shown as text");
		await screenshot(page, `boundary-desk-enterprise-${key}`);

		await page.goto(`${BASE_URL}/app/cultivation-submission/${security.application}`, { waitUntil: "domcontentloaded" });
		await page.locator('.frappe-control[data-fieldname="evaluation"]').waitFor();
		await assertInert(page, "the application's form");
		assert.ok(await page.locator('.frappe-control[data-fieldname="evaluation"]').isVisible(), "the evaluation is hidden");
		await screenshot(page, `boundary-desk-application-${key}`);

		await page.goto(`${BASE_URL}/app/enterprise?name=${security.enterprise}`, { waitUntil: "domcontentloaded" });
		await page.locator(".list-row-container").first().waitFor();
		await assertInert(page, "the enterprise list");
		assert.deepEqual(dialogs, []);
		await context.close();
	});

	test(`the ${who} reviewer's print views show the markup as text and hide nothing`, { skip: !security.listener_port }, async () => {
		const { context, page, dialogs } = await reviewerPage(security[key]);
		const views = [
			[`/printview?doctype=${encodeURIComponent(SUBMISSION)}&name=${security.application}&format=${encodeURIComponent("申报书")}`, "application"],
			[`/printview?doctype=Enterprise&name=${security.enterprise}&format=Standard`, "enterprise"],
		];
		for (const [path, name] of views) {
			await page.goto(BASE_URL + path, { waitUntil: "load" });
			await assertInert(page, `the print view of the ${name}`);
			const text = await page.locator("body").innerText();
			assert.match(text, /onerror/, `the markup shows as text on the ${name}'s print view`);
			if (name === "application") {
				assert.ok(await page.locator(".gz-evaluation").isVisible(), "the 指标评定 is hidden");
				assert.ok(await page.locator(".gz-overall").isVisible(), "the overall result is hidden");
				assert.match(text, /不满足限定性指标/);
			}
			await screenshot(page, `boundary-printview-${name}-${key}`);
		}
		assert.deepEqual(dialogs, []);
		await context.close();
	});

	test(`the ${who} reviewer's PDF holds the real evaluation and fetched nothing`, { skip: !security.listener_port }, async () => {
		const { context, page } = await reviewerPage(security[key]);
		for (const [path, name] of [
			[`/api/method/gz_innovation.cultivation.application.download?name=${security.application}`, "application"],
			[`/api/method/frappe.utils.print_format.download_pdf?doctype=Enterprise&name=${security.enterprise}&format=Standard`, "enterprise"],
		]) {
			const response = await page.request.get(BASE_URL + path);
			assert.equal(response.status(), 200, `${name}: ${response.status()}`);
			const file = join(OUTPUT_DIR, `boundary-${name}-${key}.pdf`);
			writeFileSync(file, await response.body());
			// NFKC: the PDF's fonts map some characters to their radical forms (⾜ for 足).
			const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf-8" }).normalize("NFKC");
			if (name === "application") {
				assert.match(text, /指标评定|Indicator Evaluation/);
				assert.match(text, /不满足限定性指标/);
				assert.match(text, /研发原值/);
				execFileSync("pdftoppm", ["-png", "-r", "60", "-f", "1", "-l", "1", file, join(OUTPUT_DIR, `boundary-pdf-${key}`)]);
			}
			assert.match(text, /onerror/, `${name}: the markup is in the PDF as text`);
		}
		assert.deepEqual(listener.requests, [], "an address written in declared text was requested");
		await context.close();
	});
}
