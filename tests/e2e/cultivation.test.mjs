// Manual §3: the enterprise admin fills the 限定性指标 form, sees the live pre-check, saves a draft,
// resumes, submits and sees 指标评定; a reviewer returns it with a reason; the admin fixes and resubmits.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
	BASE_URL,
	browserSession,
	deskAction,
	deskPage,
	deskReturn,
	fixtures,
	screenshot,
	solveCaptcha,
	submitApplication,
} from "./helpers.mjs";

const session = browserSession();

async function openForm(page) {
	await page.goto(`${BASE_URL}/cultivation`);
	const fill = page.locator(`.gz-fill[data-batch="${fixtures.batch}"][data-type="企业技术中心"]`);
	const resume = page.locator(`.gz-continue[data-batch="${fixtures.batch}"]`);
	await fill.or(resume).first().waitFor();
	if (await resume.count()) await resume.first().click();
	else await fill.click();
	await page.locator(".gz-sub-form .gz-indicators input").first().waitFor();
}

async function resultOf(page, label) {
	const row = page.locator(".gz-precheck .gz-evaluation tr", { hasText: label });
	return (await row.locator("td").nth(3).innerText()).trim();
}

test("fill with live pre-check, draft, resume, submit, return with a reason, fix and resubmit", { skip: !fixtures.batch }, async () => {
	const { page, browser } = session;
	// The home's 创新平台管理中心 asks a guest to log in, then leads where it said (redirect-to).
	await page.goto(`${BASE_URL}/`);
	await page.locator("a", { hasText: "创新平台管理中心" }).first().click();
	await page.waitForURL(/\/login\?redirect-to=/);
	await page.fill('[name="identifier"]', fixtures.mobile);
	await page.fill('[name="password"]', fixtures.password);
	await solveCaptcha(page);
	await page.click(".gz-submit");
	await page.waitForURL((url) => url.pathname === "/cultivation");
	await page.locator(".gz-fill, .gz-continue").first().waitFor();
	await screenshot(page, "cultivation-center");

	await openForm(page);
	// Prefilled from the enterprise: revenue 180, R&D 50.
	assert.equal(await page.inputValue('[name="revenue"]'), "180");
	await page.locator(".gz-precheck tr", { hasText: "发明专利" }).waitFor();
	assert.equal(await resultOf(page, "发明专利"), "待填");
	await page.selectOption('[name="indicator_category"]', "其他"); // the manual's 企业类型: 其他
	await page.fill('[name="invention_patents"]', "12");
	await page.fill('[name="rd_equipment_value"]', "5");
	await page.locator(".gz-precheck .gz-overall", { hasText: "不满足限定性指标" }).waitFor();
	assert.equal(await resultOf(page, "企业研发经费支出"), "满足");
	assert.equal(await resultOf(page, "研发原值"), "不满足");
	await screenshot(page, "cultivation-precheck");
	await page.click(".gz-save");
	await page.locator(".gz-form-note", { hasText: "已保存" }).waitFor();

	// Resume later: the draft keeps every value.
	await page.goto(`${BASE_URL}/account-center`);
	await openForm(page);
	assert.equal(await page.inputValue('[name="invention_patents"]'), "12");
	assert.equal(await page.inputValue('[name="rd_equipment_value"]'), "5");

	// Submitting needs the commitment.
	await submitApplication(page);
	await page.locator('.gz-error[data-for="commitment"]', { hasText: "真实性承诺说明" }).waitFor();
	await page.check('[name="commitment"]');
	await submitApplication(page);
	await page.locator(".gz-detail .gz-evaluation").waitFor();
	const table = await page.locator(".gz-detail .gz-evaluation tbody").innerText();
	assert.match(table, /发明专利\s+12件\s+满足/);
	assert.match(table, /企业研发经费支出\s+28\.00%\s+满足/);
	assert.match(table, /规模以上企业\(营业收入2000万以上\)\s+180\.0万元\s+不满足/);
	assert.match(table, /研发原值\s+5万元\s+不满足/);
	assert.equal((await page.locator(".gz-recognition").innerText()).trim(), "不满足限定性指标");
	await screenshot(page, "cultivation-evaluation");
	const name = await page.evaluate(async (batch) => {
		const r = await fetch("/api/method/gz_innovation.cultivation.api.get_center", { headers: { Accept: "application/json" } });
		return (await r.json()).message.records.find((x) => x.batch === batch).name;
	}, fixtures.batch);

	// The reviewer returns it in Desk with a reason.
	const { context: desk, page: reviewer } = await deskPage(browser);
	await reviewer.goto(`${BASE_URL}/app/cultivation-submission/${name}`, { waitUntil: "domcontentloaded" });
	const status = reviewer.locator('.frappe-control[data-fieldname="status"]');
	await status.filter({ hasText: "已提交" }).waitFor();
	await deskAction(reviewer, "受理");
	await status.filter({ hasText: "市州初审" }).waitFor();
	// 退回修改 asks for the reason in its own dialog; the reason is recorded as the review comment.
	await deskReturn(reviewer, "研发原值请按财务报表填写");
	await status.filter({ hasText: "退回修改" }).waitFor();
	await reviewer.locator('.frappe-control[data-fieldname="review_comment"]', { hasText: "研发原值请按财务报表填写" }).waitFor();
	// No English toast about the Workflow after the return.
	await reviewer.waitForTimeout(1000); // where Frappe's toast would be up
	assert.equal(await reviewer.locator(".desk-alert", { hasText: /Workflow|不可编辑/ }).count(), 0);
	// The document's activity reads in Chinese too (Frappe leaves these texts untranslated).
	await reviewer.locator(".new-timeline .timeline-content", { hasText: "您修改了" }).first().waitFor();
	assert.doesNotMatch(await reviewer.locator(".new-timeline").innerText(), /changed the value|created this|last edited/);
	await screenshot(reviewer, "desk-cultivation-returned");
	await desk.close();

	// The admin sees the reason, fixes and resubmits; evaluated again.
	await openForm(page);
	await page.locator(".gz-returned", { hasText: "研发原值请按财务报表填写" }).waitFor();
	await page.fill('[name="rd_equipment_value"]', "600");
	await page.fill('[name="revenue"]', "2600");
	await page.fill('[name="rd_expenditure"]', "120");
	await page.locator(".gz-precheck .gz-overall", { hasText: "满足限定性指标" }).filter({ hasNotText: "不满足" }).waitFor();
	await submitApplication(page);
	await page.locator(".gz-detail .gz-evaluation").waitFor();
	assert.equal((await page.locator(".gz-recognition").innerText()).trim(), "待培育");
	await page.click('.nav-link[data-tab="history"]');
	const history = await page.locator(".gz-history tbody").innerText();
	assert.match(history, /退回修改.*研发原值请按财务报表填写/);
	await screenshot(page, "cultivation-history");
});
