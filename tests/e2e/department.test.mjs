// The department side in Desk: a 市州 reviewer and a 省厅 reviewer log in and land on the workspace
// 科技创新平台培育 with their queue counts, open a queue, a report and a 申报书 (PDF rendered to PNG with
// pdftoppm); every page reads in Chinese. The public verification page of the 申报书's code.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { BASE_URL, OUTPUT_DIR, browserSession, fixtures, login, screenshot } from "./helpers.mjs";

const dept = fixtures.department;
const WORKSPACE = "/app/innovation-platform-cultivation";
// Words that may stay Latin on a Chinese page: abbreviations Chinese users read as such, and "null",
// which Frappe's activity timeline prints for a field that had no value before (not translatable).
const ALLOWED_LATIN = new Set(["PDF", "CMMI", "Ctrl", "G", "ID", "null"]);
const QUEUE_STATES = { 待受理: "已提交", 市州初审中: "市州初审", 省厅审核中: "省厅审核", 退回修改中: "退回修改" };

async function englishOn(page) {
	// The text a reviewer sees: visible text nodes (not screen-reader-only ones) and input placeholders.
	const words = await page.evaluate(() => {
		const hidden = (el) => {
			if (el.closest(".sr-only, .visually-hidden, [aria-hidden='true']") || !el.getClientRects().length) return true;
			for (let e = el; e; e = e.parentElement) {
				const style = getComputedStyle(e);
				if (style.visibility === "hidden" || style.opacity === "0" || style.display === "none") return true;
			}
			return false;
		};
		const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
		const texts = [];
		for (let node = walker.nextNode(); node; node = walker.nextNode()) {
			const el = node.parentElement;
			if (el && !["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE"].includes(el.tagName) && !hidden(el)) texts.push(node.textContent);
		}
		for (const input of document.querySelectorAll("input[placeholder], textarea[placeholder]")) {
			if (!hidden(input)) texts.push(input.placeholder);
		}
		// Codes and IDs (letters mixed with digits: 统一社会信用代码, batch suffixes, hashes) and e-mail
		// addresses (the enterprise's 电子邮箱 in 基本信息) are data, not words; so are the random letter
		// tags of the test enterprises' names (（测试BFRL）).
		const words = texts
			.join(" ")
			.replace(/测试[A-Z]+/g, " ")
			.replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, " ")
			.replace(/[A-Za-z0-9]*[0-9][A-Za-z0-9]*/g, " ");
		return words.match(/[A-Za-z]{2,}/g) || [];
	});
	return [...new Set(words.filter((w) => !ALLOWED_LATIN.has(w)))];
}

async function assertChinese(page, where) {
	assert.deepEqual(await englishOn(page), [], `English on ${where}`);
}

async function logIn(page, username) {
	await login(page, username, dept.password);
	await page.waitForURL(new RegExp(WORKSPACE), { waitUntil: "domcontentloaded" });
	await page.locator(".shortcut-widget-box").first().waitFor();
}

// What the server counts for the logged-in user (Desk's own count, in the user's scope).
async function serverCount(page, state) {
	return page.evaluate(
		(status) => frappe.xcall("frappe.desk.reportview.get_count", { doctype: "Cultivation Submission", filters: [["status", "=", status]] }),
		state,
	);
}

async function queueCount(page, label) {
	const box = page.locator(".shortcut-widget-box", { hasText: label });
	const pill = box.locator(".indicator-pill");
	await pill.waitFor();
	return Number((await pill.innerText()).match(/\d+/)[0]);
}

async function waitForWorkspace(page) {
	await page.locator(".number-card-loading").first().waitFor({ state: "detached" }).catch(() => {});
	await page.locator(".widget.number-widget-box .number").first().waitFor();
	await page.locator(".chart-container svg, .frappe-chart").first().waitFor();
	await page.waitForTimeout(1500); // the charts animate in
}

async function pdfToPng(page, name, png) {
	const response = await page.request.get(
		`${BASE_URL}/api/method/gz_innovation.cultivation.application.download?name=${encodeURIComponent(name)}`,
	);
	assert.equal(response.status(), 200);
	const pdf = join(OUTPUT_DIR, `${png}.pdf`);
	writeFileSync(pdf, await response.body());
	execFileSync("pdftoppm", ["-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", pdf, join(OUTPUT_DIR, png)]);
	return execFileSync("pdftotext", ["-layout", pdf, "-"]).toString("utf-8").normalize("NFKC");
}

const session = browserSession();
// Tall enough for the whole workspace in one screenshot.
const VIEWPORT = { width: 1280, height: 1700 };

async function newPage(browser) {
	const context = await browser.newContext({ locale: "zh-CN", viewport: VIEWPORT });
	return { context, page: await context.newPage() };
}

test("a 市州 reviewer: workspace with their city's counts, a queue, a report, a 申报书", { skip: !dept }, async () => {
	const { context, page } = await newPage(session.browser);
	await logIn(page, dept.city_reviewer);
	await waitForWorkspace(page);
	await page.locator(".page-title", { hasText: "科技创新平台培育" }).first().waitFor();
	const cityCounts = {};
	for (const [label, state] of Object.entries(QUEUE_STATES)) {
		cityCounts[state] = await queueCount(page, label);
		assert.equal(cityCounts[state], await serverCount(page, state), label);
	}
	// The fixture's own applications are counted: 贵阳市's, not 遵义市's.
	assert.ok(cityCounts["已提交"] >= dept.counts.city["已提交"]);
	assert.ok(cityCounts["市州初审"] >= dept.counts.city["市州初审"]);
	await screenshot(page, "department-city-workspace");
	await assertChinese(page, "the workspace");

	// A queue: 待受理 opens the list filtered to 已提交, 贵阳市's only.
	await page.locator(".shortcut-widget-box", { hasText: "待受理" }).click();
	await page.waitForURL(/\/app\/cultivation-submission/);
	await page.locator(".list-row-container", { hasText: "已提交" }).first().waitFor();
	await page.waitForTimeout(500); // the list settles (filters applied, rows rendered)
	const rows = page.locator(".list-row-container");
	assert.equal(await rows.count(), cityCounts["已提交"]);
	const head = await page.locator(".list-row-head").innerText();
	for (const column of ["企业名称", "状态", "培育类型", "批次", "评定结果", "所属市州", "提交时间", "进入本阶段"]) {
		assert.ok(head.includes(column), `column ${column}`);
	}
	const listed = await rows.allInnerTexts();
	assert.ok(listed.every((row) => row.includes("贵阳市") && row.includes("已提交")), listed.join("\n"));
	await page.locator(".list-row-container .indicator-pill.green", { hasText: "满足" }).first().waitFor();
	await screenshot(page, "department-city-queue");
	await assertChinese(page, "the queue");

	// A report: 培育申报汇总 of the open batch, 贵阳市's figures only.
	await page.goto(`${BASE_URL}/app/query-report/Cultivation Submission Summary`);
	await page.locator(".dt-row", { hasText: "合计" }).first().waitFor();
	const report = await page.locator(".dt-scrollable").innerText();
	assert.ok(report.includes("企业技术中心"));
	assert.ok(!report.includes("工业设计中心"), "遵义市's 工业设计中心 is not 贵阳市's");
	await page.waitForTimeout(1500); // the chart animates in
	await screenshot(page, "department-city-report");
	await assertChinese(page, "the report");

	// The submission's form has the 申报书 button; the PDF renders, with its values.
	await page.goto(`${BASE_URL}/app/cultivation-submission/${dept.waiting}`);
	const button = page.locator(".page-actions button, .form-inner-toolbar button", { hasText: "申报书PDF" }).first();
	await button.waitFor();
	await screenshot(page, "department-city-form");
	await assertChinese(page, "the submission form");
	const [popup] = await Promise.all([page.context().waitForEvent("page"), button.click()]);
	assert.match(popup.url(), /gz_innovation\.cultivation\.application\.download/);
	await popup.close();
	const text = await pdfToPng(page, dept.waiting, "department-city-application");
	assert.match(text, /省级技术创新平台培育申报书/);
	assert.match(text, /规模以上企业营业收入\s+5000\s+万元/);
	assert.match(text, /验证码/);
	await context.close();
});

test("a 省厅 reviewer: the whole province, a queue, 审核时效, a 申报书 and its verification page", { skip: !dept }, async () => {
	const { browser } = session;
	const { context, page } = await newPage(browser);
	await logIn(page, dept.province_reviewer);
	await waitForWorkspace(page);
	for (const [label, state] of Object.entries(QUEUE_STATES)) {
		const shown = await queueCount(page, label);
		assert.equal(shown, await serverCount(page, state), label);
		assert.ok(shown >= dept.counts.province[state], label);
	}
	// The province sees 遵义市's waiting applications as well as 贵阳市's.
	assert.ok((await queueCount(page, "待受理")) > dept.counts.city["已提交"]);
	await screenshot(page, "department-province-workspace");
	await assertChinese(page, "the workspace");

	await page.locator(".shortcut-widget-box", { hasText: "省厅审核中" }).click();
	await page.waitForURL(/\/app\/cultivation-submission/);
	await page.locator(".list-row-container").first().waitFor();
	assert.equal(await page.locator(".list-row-container").count(), await serverCount(page, "省厅审核"));
	await screenshot(page, "department-province-queue");

	await page.goto(`${BASE_URL}/app/query-report/Review Timeliness`);
	await page.locator(".dt-row .dt-cell__content", { hasText: "技术创新示范企业" }).first().waitFor();
	await screenshot(page, "department-province-report");
	await assertChinese(page, "the report");

	const text = await pdfToPng(page, dept.in_province, "department-province-application");
	const code = text.match(/verify\/([0-9A-F]{24})/)[1];
	await page.goto(`${BASE_URL}/app/cultivation-submission/${dept.in_province}`);
	await page.locator(".page-actions button, .form-inner-toolbar button", { hasText: "申报书PDF" }).first().waitFor();
	await screenshot(page, "department-province-form");
	await assertChinese(page, "the submission form");
	await context.close();

	// Anyone holding the printed copy checks it, without logging in.
	const { context: guest, page: check } = await newPage(browser);
	await check.goto(`${BASE_URL}/verify/${code}`);
	await check.locator(".gz-verify-ok").waitFor();
	assert.match(await check.locator(".gz-verify-result").innerText(), /技术创新示范企业/);
	await screenshot(check, "department-verify-genuine");
	await check.goto(`${BASE_URL}/verify/${code.slice(0, -1)}${code.endsWith("0") ? "1" : "0"}`);
	await check.locator(".gz-verify-none", { hasText: "无此申报书" }).waitFor();
	await screenshot(check, "department-verify-altered");
	await guest.close();
});
