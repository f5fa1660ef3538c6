// Recognition in Desk: an administrator draws the experts of an application (avoidance shown with its
// reason) and verifies the record; a second administrator countersigns; a drawn expert sees nothing of
// the application until declaring no conflict, cuts a figure (refused without a reason, in Chinese
// naming the indicator), scores the qualitative item and submits.
import assert from "node:assert/strict";
import { test } from "node:test";
import { BASE_URL, browserSession, deskPage, fixtures, login, screenshot } from "./helpers.mjs";

const session = browserSession();
const recognition = fixtures.recognition;

async function deskAs(browser, username, password, viewport = { width: 1280, height: 900 }) {
	const context = await browser.newContext({ locale: "zh-CN", viewport });
	const page = await context.newPage();
	await login(page, username, password);
	await page.waitForURL(/\/app/, { waitUntil: "domcontentloaded" });
	return { context, page };
}

async function clickAndConfirm(page, button) {
	await page.getByRole("button", { name: button }).first().click();
	await page.locator(".modal.show .btn-primary", { hasText: "是" }).click();
}

test("an administrator draws, a second countersigns, an expert declares, cuts with a reason and submits", { skip: !recognition }, async () => {
	const draw = recognition.draw;
	const url = `${BASE_URL}/app/gz-expert-draw/${encodeURIComponent(draw)}`;

	// The administrator draws: avoidance with its reason, the experts and the reserve, the record sealed.
	const admin = await deskPage(session.browser);
	try {
		await admin.page.goto(url);
		await clickAndConfirm(admin.page, "抽取专家");
		await admin.page.locator(".indicator-pill", { hasText: "已抽取" }).first().waitFor();
		const members = admin.page.locator('[data-fieldname="members"] .grid-body .grid-row');
		assert.equal(await members.count(), 3);
		const result = await admin.page.locator('[data-fieldname="members"]').innerText();
		assert.match(result, /评审专家/);
		assert.match(result, /备选专家/);
		const avoided = await admin.page.locator('[data-fieldname="exclusions"]').innerText();
		assert.match(avoided, /戊专家/);
		assert.match(avoided, /声明的利害关系/);
		await screenshot(admin.page, "recognition-draw");
		await admin.page.getByRole("button", { name: "校验记录" }).click();
		await admin.page.locator(".modal.show", { hasText: "记录哈希校验通过" }).waitFor();
		await admin.page.keyboard.press("Escape");
		// The drawer cannot countersign their own draw.
		await admin.page.locator(".form-message", { hasText: "另一名管理员复核" }).waitFor();
	} finally {
		await admin.context.close();
	}

	const checker = await deskAs(session.browser, recognition.checker, recognition.password);
	try {
		await checker.page.goto(url);
		await clickAndConfirm(checker.page, "复核");
		await checker.page.locator(".indicator-pill", { hasText: "已复核" }).first().waitFor();
		await screenshot(checker.page, "recognition-countersigned");
	} finally {
		await checker.context.close();
	}

	// A drawn expert: their review only, nothing of the application before declaring.
	const drawn = await (async () => {
		const probe = await deskPage(session.browser);
		try {
			await probe.page.goto(url);
			return await probe.page.evaluate(async (name) => {
				const reviews = await frappe.db.get_list("GZ Expert Review", { filters: { draw: name }, fields: ["name", "expert_user"] });
				return reviews[0];
			}, draw);
		} finally {
			await probe.context.close();
		}
	})();
	const username = recognition.experts[drawn.expert_user];
	const expert = await deskAs(session.browser, username, recognition.password);
	try {
		const page = expert.page;
		await page.goto(`${BASE_URL}/app/gz-expert-review`);
		await page.locator(".list-row-container").first().waitFor();
		assert.equal(await page.locator(".list-row-container").count(), 1);
		await page.goto(`${BASE_URL}/app/gz-expert-review/${drawn.name}`);
		await page.locator(".form-message", { hasText: "声明" }).waitFor();
		assert.equal(await page.locator('[data-fieldname="lines"]:visible').count(), 0);
		await screenshot(page, "recognition-expert-declare");
		// The application itself stays closed to the expert.
		const closed = await page.evaluate(async () => {
			const r = await fetch("/api/resource/Cultivation%20Submission", { headers: { Accept: "application/json" } });
			return r.status;
		});
		assert.equal(closed, 403);

		await page.locator('select[data-fieldname="declaration"]').selectOption("无利益冲突");
		await page.keyboard.press("Control+s");
		await page.locator(".indicator-pill", { hasText: "评审中" }).first().waitFor();
		const lines = await page.locator('[data-fieldname="lines"]').innerText();
		assert.match(lines, /发明专利/);
		assert.match(lines, /行业地位/);

		// A cut without a reason: refused, naming the indicator.
		await page.evaluate(() => {
			const row = cur_frm.doc.lines.find((r) => r.indicator === "发明专利");
			frappe.model.set_value(row.doctype, row.name, "verified_value", 5);
		});
		await page.keyboard.press("Control+s");
		const refusal = page.locator(".modal.show", { hasText: "核减理由" });
		await refusal.waitFor().catch(async (e) => {
			await screenshot(page, "recognition-debug");
			throw e;
		});
		assert.match(await refusal.innerText(), /发明专利/);
		await screenshot(page, "recognition-expert-cut-refused");
		await page.keyboard.press("Escape");

		await page.evaluate(() => {
			const patents = cur_frm.doc.lines.find((r) => r.indicator === "发明专利");
			frappe.model.set_value(patents.doctype, patents.name, "cut_reason", "7件专利证书未提供");
			const position = cur_frm.doc.lines.find((r) => r.indicator === "行业地位");
			frappe.model.set_value(position.doctype, position.name, "expert_score", "15");
		});
		await page.keyboard.press("Control+s");
		await page.waitForFunction(() => !cur_frm.is_dirty() && cur_frm.doc.total > 0);
		assert.equal(await page.evaluate(() => cur_frm.doc.total), 85);
		await clickAndConfirm(page, "提交评分");
		await page.locator(".indicator-pill", { hasText: "已提交" }).first().waitFor();
		await screenshot(page, "recognition-expert-submitted");
	} finally {
		await expert.context.close();
	}

	// On a phone: the drawn record reads without sideways scrolling of the page.
	const phone = await deskPage(session.browser);
	try {
		await phone.page.setViewportSize({ width: 390, height: 844 });
		await phone.page.goto(url);
		await phone.page.locator(".indicator-pill", { hasText: "已复核" }).first().waitFor();
		await screenshot(phone.page, "recognition-draw-390");
	} finally {
		await phone.context.close();
	}
});
