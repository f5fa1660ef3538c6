// The department side in Desk: a 市州 reviewer and a 省厅 reviewer log in and land on the workspace
// 科技创新平台培育 with their queue counts, open a queue, a report and a 申报书 (PDF rendered to PNG with
// pdftoppm); every page reads in Chinese. The public verification page of the 申报书's code.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import {
	BASE_URL,
	OUTPUT_DIR,
	assertNoSidewaysScroll,
	browserSession,
	deskReturn,
	fixtures,
	login,
	screenshot,
	solveCaptcha,
} from "./helpers.mjs";

const dept = fixtures.department;
const WORKSPACE = "/app/innovation-platform-cultivation";
// Words that may stay Latin on a Chinese page: abbreviations Chinese users read as such, and the file
// formats of the export dialog.
const ALLOWED_LATIN = new Set(["PDF", "CMMI", "Ctrl", "G", "ID", "Excel", "CSV"]);
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
		// The record's own name (a hash, in the breadcrumb) is data too, even when it has no digit.
		const docname = (window.frappe?.get_route?.() || [])[2];
		const words = texts
			.join(" ")
			.replaceAll(docname || "\u0000", " ")
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

// How long a reviewer waits, printed (figures, not asserts): from the login's answer to the workspace's
// number cards showing their figures.
async function timedLanding(page, username) {
	await page.goto(`${BASE_URL}/login`);
	await page.fill('[name="identifier"]', username);
	await page.fill('[name="password"]', dept.password);
	await solveCaptcha(page);
	const started = Date.now();
	await page.click(".gz-submit");
	await page.waitForURL(new RegExp(WORKSPACE), { waitUntil: "domcontentloaded" });
	await page.locator(".widget.number-widget-box .number").first().waitFor();
	const cards = Date.now() - started;
	await page.locator(".number-card-loading").first().waitFor({ state: "detached" }).catch(() => {});
	const all = Date.now() - started;
	console.log(`# reviewer landing: first number card after ${cards} ms, every card after ${all} ms`);
}

// The list's column headings whose text does not fit their cell (cut off with …).
async function cutHeadings(page) {
	return page.evaluate(() =>
		[...document.querySelectorAll(".list-row-head .list-row-col")]
			.filter((cell) => cell.getClientRects().length && cell.scrollWidth > cell.clientWidth + 1)
			.map((cell) => cell.innerText.trim()),
	);
}

for (const device of [
	{ name: "desktop", viewport: { width: 1280, height: 900 } },
	{ name: "phone", viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
]) {
	test(`a reviewer's Desk at ${device.viewport.width} px: the platform's logo, its workspace only, a list with the stage deadline, export in Chinese`, { skip: !dept }, async () => {
		const context = await session.browser.newContext({ locale: "zh-CN", ...device, name: undefined });
		const page = await context.newPage();
		try {
			await timedLanding(page, dept.city_reviewer);
			// The platform's logo, not Frappe's "F"; the browser tab names the platform.
			const logo = await page.locator(".navbar-brand img, .navbar-home img").first().getAttribute("src");
			assert.match(logo, /gz_innovation/);
			// The sidebar offers the department's workspace, not Frappe's 用户 / 网站 / 工具 / 集成 / 构建.
			if (device.name === "desktop") {
				const offered = (await page.locator(".desk-sidebar .sidebar-item-label").allInnerTexts()).map((t) => t.trim());
				assert.deepEqual(offered, ["科技创新平台培育"], offered.join(", "));
			}
			const visible = await page.evaluate(() =>
				frappe.boot.allowed_workspaces.map((w) => w.title || w.name),
			);
			for (const frappe_own of ["Users", "Website", "Tools", "Integrations", "Build"]) {
				assert.ok(!visible.includes(frappe_own), `${frappe_own} is offered: ${visible}`);
			}
			await waitForWorkspace(page);
			await screenshot(page, `department-${device.name}-landing`);
			await assertChinese(page, "the workspace");

			// The work list: every heading whole, the stage deadline, 已超期 for what is past its deadline.
			await page.goto(`${BASE_URL}/app/cultivation-submission?batch=${encodeURIComponent(dept.batch)}`);
			await page.locator(".list-row-container").first().waitFor();
			await page.waitForTimeout(500);
			if (device.name === "desktop") {
				const head = await page.locator(".list-row-head").innerText();
				for (const column of ["企业名称", "状态", "培育类型", "批次", "评定结果", "提交时间", "进入本阶段", "本阶段截止"]) {
					assert.ok(head.includes(column), `column ${column}`);
				}
				assert.deepEqual(await cutHeadings(page), [], "headings cut off");
				assert.doesNotMatch(head + (await page.locator(".result").innerText()), /0小时前/);
			}
			// The city stage's deadline has passed: its applications are marked; 省厅审核's are not.
			const waiting = page.locator(".list-row-container", { hasText: "已提交" }).first();
			await waiting.locator(".gz-overdue", { hasText: "已超期" }).waitFor();
			const inProvince = page.locator(".list-row-container", { hasText: "省厅审核" }).first();
			assert.equal(await inProvince.locator(".gz-overdue").count(), 0);
			await assertNoSidewaysScroll(page, "the list");
			await screenshot(page, `department-${device.name}-list`);
			await assertChinese(page, "the list");

			// Export is a button beside the list, its dialog in Chinese.
			if (device.name === "desktop") {
				await page.locator(".page-actions button, .custom-actions button", { hasText: "导出" }).first().click();
				const dialog = page.locator(".modal.show");
				await dialog.locator(".modal-title").waitFor();
				await screenshot(page, "department-desktop-export");
				await assertChinese(page, "the export dialog");
				const [download] = await Promise.all([
					page.waitForEvent("download"),
					dialog.locator(".btn-primary").click(),
				]);
				assert.match(download.suggestedFilename(), /\.xlsx$/);
			}
		} catch (error) {
			if (!page.isClosed()) await screenshot(page, `department-${device.name}-failed`).catch(() => {});
			throw error;
		} finally {
			await context.close();
		}
	});
}

test("a reviewer returns an application: the reason in its own dialog, required, recorded; the activity without no-op changes or null", { skip: !dept }, async () => {
	const { context, page } = await newPage(session.browser);
	await logIn(page, dept.city_reviewer);
	await page.goto(`${BASE_URL}/app/cultivation-submission/${dept.in_city}`);
	const status = page.locator('.frappe-control[data-fieldname="status"]');
	await status.filter({ hasText: "市州初审" }).waitFor();
	await deskReturn(page, "请补充研发机构的场地证明");
	await status.filter({ hasText: "退回修改" }).waitFor();
	await page.locator('.frappe-control[data-fieldname="review_comment"]', { hasText: "请补充研发机构的场地证明" }).waitFor();
	const timeline = await page.locator(".new-timeline").innerText();
	assert.doesNotMatch(timeline, /\bnull\b/);
	// No change that reads the same before and after (发明专利 从 12 改为 12).
	for (const [, from, to] of timeline.matchAll(/从\s*(\S+?)\s*改为\s*(\S+?)(?=[\s，,。]|$)/g)) {
		assert.notEqual(from, to, `a no-op change in the activity: ${from} → ${to}`);
	}
	await screenshot(page, "department-returned");
	await assertChinese(page, "the returned application");
	await context.close();
});
