// Recognition in Desk: an administrator draws the experts of an application (avoidance shown with its
// reason) and verifies the record; a second administrator countersigns; a drawn expert sees nothing of
// the application until declaring no conflict, cuts a figure (refused without a reason, in Chinese
// naming the indicator), scores the qualitative item and submits.
import assert from "node:assert/strict";
import { test } from "node:test";
import { BASE_URL, LICENCE_PDF, browserSession, deskPage, fixtures, login, screenshot } from "./helpers.mjs";

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

// The enterprise fills a programme whose batch has a scoring scheme: its self-score beside the live
// pre-check, what each indicator gives and what would raise it; below the gate, the reason.
test("an enterprise watches its self-score while filling, with the gate and what would raise it", { skip: !recognition?.gate }, async () => {
	const gate = recognition.gate;
	for (const viewport of [{ width: 1280, height: 900 }, { width: 390, height: 844 }]) {
		const context = await session.browser.newContext({ locale: "zh-CN", viewport });
		const page = await context.newPage();
		try {
			await login(page, gate.mobile, gate.password);
			await page.waitForURL((url) => !url.pathname.startsWith("/login"));
			await page.goto(`${BASE_URL}/cultivation`);
			const fill = page.locator(`.gz-fill[data-batch="${gate.batch}"][data-type="${gate.type}"]`);
			const resume = page.locator(`.gz-continue[data-batch="${gate.batch}"]`);
			await fill.or(resume).first().waitFor();
			if (await resume.count()) await resume.first().click();
			else await fill.click();
			const panel = page.locator(".gz-precheck .gz-self-score");
			await panel.waitFor();
			// Revenue 180 and R&D 50 come from the enterprise: 27.8 % gives full points; no patent yet.
			await page.fill('[name="invention_patents"]', "1");
			await panel.locator(".gz-self-score-value", { hasText: /^65$/ }).waitFor();
			assert.match(await panel.innerText(), /低于提交门槛70分/);
			const patents = await panel.locator("tr", { hasText: "发明专利" }).innerText();
			assert.match(patents, /12 \/ 40/);
			assert.match(patents, /发明专利达到2件可得24分/);
			assert.match(await panel.locator(".gz-gate-reasons").innerText(), /自评分为65分，低于提交门槛70分/);
			await screenshot(page, `recognition-self-score-below-${viewport.width}`);
			await page.fill('[name="invention_patents"]', "12");
			await panel.locator(".gz-self-score-value", { hasText: /^100$/ }).waitFor();
			assert.match(await panel.innerText(), /可以提交/);
			await screenshot(page, `recognition-self-score-${viewport.width}`);
		} finally {
			await context.close();
		}
	}
});

// 公示: the administrator publishes the proposed list in Desk; the public page shows it without personal
// data; a logged-in user objects under their real name (a reason too short is refused); the
// administrator finds the objection, with who made it, in Desk.
test("an administrator publishes the 公示, a user objects under their real name, the administrator sees it", { skip: !recognition?.publicity || !recognition?.gate }, async () => {
	const admin = await deskPage(session.browser);
	try {
		await admin.page.goto(`${BASE_URL}/app/gz-publicity/${encodeURIComponent(recognition.publicity)}`);
		await admin.page.locator(".form-layout").waitFor();
		await admin.page.evaluate(() => cur_frm.set_value("published", 1));
		await admin.page.keyboard.press("Control+s");
		await admin.page.waitForFunction(() => !cur_frm.is_dirty() && cur_frm.doc.published === 1);
		await screenshot(admin.page, "recognition-publicity-desk");
	} finally {
		await admin.context.close();
	}

	for (const viewport of [{ width: 1280, height: 900 }, { width: 390, height: 844 }]) {
		const context = await session.browser.newContext({ locale: "zh-CN", viewport });
		const page = await context.newPage();
		try {
			await page.goto(`${BASE_URL}/publicity`);
			const list = page.locator(".gz-publicity-list", { hasText: "浏览器测试拟认定名单公示" });
			await list.waitFor();
			assert.match(await list.innerText(), /公示中，接受异议/);
			assert.match(await list.innerText(), /省级企业技术中心/);
			await list.locator(".gz-objection-login").waitFor();
			await screenshot(page, `recognition-publicity-${viewport.width}`);
		} finally {
			await context.close();
		}
	}

	const context = await session.browser.newContext({ locale: "zh-CN", viewport: { width: 1280, height: 900 } });
	const page = await context.newPage();
	try {
		await login(page, recognition.gate.mobile, recognition.gate.password);
		await page.waitForURL((url) => !url.pathname.startsWith("/login"));
		await page.goto(`${BASE_URL}/publicity`);
		const form = page.locator(".gz-publicity-list", { hasText: "浏览器测试拟认定名单公示" }).locator("form.gz-objection");
		await form.locator("textarea").fill("数据不实");
		await form.evaluate((f) => f.querySelector("textarea").removeAttribute("minlength")); // the server's rule, not the browser's
		await form.locator("button[type=submit]").click();
		await form.locator(".gz-form-error", { hasText: "至少10个字" }).waitFor();
		await form.locator("textarea").fill("该企业申报的研发投入与其年度审计报告不符，请予核查。");
		await form.locator("button[type=submit]").click();
		await form.locator(".gz-done", { hasText: "异议已收到" }).waitFor();
		await screenshot(page, "recognition-objection-sent");
	} finally {
		await context.close();
	}

	const check = await deskPage(session.browser);
	try {
		await check.page.goto(`${BASE_URL}/app/gz-objection?publicity=${encodeURIComponent(recognition.publicity)}`);
		await check.page.locator(".list-row-container .list-subject a").first().click();
		await check.page.waitForFunction(() => window.cur_frm?.doc?.doctype === "GZ Objection" && !cur_frm.is_new());
		await check.page.locator('.form-layout [data-fieldname="reasons"]').first().waitFor();
		assert.equal(await check.page.evaluate(() => cur_frm.doc.status), "待处理");
		assert.ok(await check.page.evaluate(() => cur_frm.doc.objector_name));
		await screenshot(check.page, "recognition-objection-desk");
	} finally {
		await check.context.close();
	}
});

async function portalAs(username, password, viewport) {
	const context = await session.browser.newContext({ locale: "zh-CN", viewport });
	const page = await context.newPage();
	await login(page, username, password);
	await page.waitForURL((url) => !url.pathname.startsWith("/login"));
	return { context, page };
}

const VIEWPORTS = [
	{ width: 1280, height: 900 },
	{ width: 390, height: 844 },
];

// 认定申报: the enterprise whose cultivation ended 培育完成 applies; its draft starts from the figures it
// declared for cultivation and shows the self-score; an enterprise without 培育完成 reads why it may not.
test("an enterprise applies for recognition after 培育完成, another is told why it may not", { skip: !recognition?.graduate || !recognition?.gate }, async () => {
	const graduate = recognition.graduate;
	for (const viewport of VIEWPORTS) {
		const { context, page } = await portalAs(graduate.mobile, graduate.password, viewport);
		try {
			await page.goto(`${BASE_URL}/cultivation`);
			const fill = page.locator(`.gz-fill[data-batch="${graduate.batch}"][data-type="${graduate.programme}"]`);
			const resume = page.locator(`.gz-continue[data-batch="${graduate.batch}"]`);
			await fill.or(resume).first().waitFor();
			await screenshot(page, `recognition-apply-center-${viewport.width}`);
			if (await resume.count()) await resume.first().click();
			else await fill.click();
			await page.locator('[name="invention_patents"]').waitFor();
			assert.equal(await page.inputValue('[name="invention_patents"]'), "12"); // from the 培育完成 submission
			await page.locator(".gz-precheck .gz-self-score").waitFor();
			assert.match(await page.locator(".gz-precheck .gz-self-score").innerText(), /自评分/);
			// 三、申请报告: the programme's sections, in its order, with what to write.
			const sections = page.locator(".gz-report-section");
			assert.equal(await sections.count(), 4);
			assert.match(await sections.first().innerText(), /企业基本情况[\s\S]*主营业务/);
			if (viewport.width === 1280) {
				await page.fill('[name="report-0"]', "本企业主营工业软件与智能装备，近三年营业收入持续增长，研发人员一百二十人，省内行业排名前三，拥有发明专利十二件。".repeat(2));
				// 证明材料 per figure: a file that is not what its name says is refused in Chinese; a PDF is kept.
				const evidence = page.locator('.gz-evidence[data-for="invention_patents"]');
				await evidence.locator('input[type="file"]').setInputFiles({ name: "专利证书.pdf", mimeType: "application/pdf", buffer: Buffer.from("<html>not a pdf</html>") });
				await page.locator(".gz-page-error, .gz-form-error, .gz-error", { hasText: "不是 .pdf 文件" }).first().waitFor();
				await evidence.locator('input[type="file"]').setInputFiles({ name: "专利证书.pdf", mimeType: "application/pdf", buffer: LICENCE_PDF });
				await page.locator('.gz-evidence[data-for="invention_patents"] .gz-evidence-file', { hasText: "专利证书.pdf" }).waitFor();
				assert.match(await page.inputValue('[name="report-0"]'), /工业软件/); // the text written before is kept
			}
			await screenshot(page, `recognition-apply-${viewport.width}`);
		} finally {
			await context.close();
		}
	}
	const { context, page } = await portalAs(recognition.gate.mobile, recognition.gate.password, VIEWPORTS[0]);
	try {
		await page.goto(`${BASE_URL}/cultivation`);
		const closed = page.locator(`.gz-batch[data-batch="${graduate.batch}"] .gz-not-eligible`);
		await closed.waitFor();
		assert.match(await closed.innerText(), /仅限培育完成的企业申报/);
		assert.equal(await page.locator(`.gz-fill[data-batch="${graduate.batch}"]`).count(), 0);
		await screenshot(page, "recognition-apply-refused");
	} finally {
		await context.close();
	}
});

// 发布评审结果: the administrator releases the experts' results; the enterprise reads each figure as
// declared beside each expert's verified value, with the reason for the cut (experts by number).
test("the department releases the results, the enterprise reads declared beside verified", { skip: !recognition?.graduate }, async () => {
	const graduate = recognition.graduate;
	const admin = await deskPage(session.browser);
	try {
		await admin.page.goto(`${BASE_URL}/app/gz-expert-draw/${encodeURIComponent(graduate.results_draw)}`);
		await clickAndConfirm(admin.page, "发布评审结果");
		await admin.page.locator(".form-message", { hasText: "评审结果已于" }).waitFor();
		await screenshot(admin.page, "recognition-results-released");
	} finally {
		await admin.context.close();
	}
	for (const viewport of VIEWPORTS) {
		const { context, page } = await portalAs(graduate.mobile, graduate.password, viewport);
		try {
			await page.goto(`${BASE_URL}/cultivation`);
			await page.locator(`.gz-view[data-name="${graduate.application}"]`).click();
			await page.locator('.gz-results-tab .nav-link[data-tab="results"]').click();
			const table = page.locator(".gz-results");
			await table.waitFor();
			const patents = await table.locator("tr", { hasText: "发明专利" }).innerText();
			assert.match(patents, /专家1：5/);
			assert.match(patents, /核减：7件专利证书未提供/);
			assert.match(patents, /专家2：12/);
			assert.match(await page.locator(".gz-results-summary").innerText(), /专家组评分/);
			assert.doesNotMatch(await page.locator('.gz-tab[data-tab="results"]').innerText(), /结果甲专家|结果乙专家/);
			await screenshot(page, `recognition-results-${viewport.width}`);
		} finally {
			await context.close();
		}
	}
});

// 认定: after the 公示 the administrator recognises the list; the certificate verifies by its code for
// anyone, the public list shows the platform, and the enterprise downloads its certificate.
test("an administrator recognises after the 公示, the certificate verifies and the public list shows it", { skip: !recognition?.graduate }, async () => {
	const graduate = recognition.graduate;
	const admin = await deskPage(session.browser);
	let certificate;
	try {
		await admin.page.goto(`${BASE_URL}/app/gz-publicity/${encodeURIComponent(graduate.ended_publicity)}`);
		await admin.page.getByRole("button", { name: "认定", exact: true }).click();
		await admin.page.locator(".modal.show .btn-primary", { hasText: "是" }).click();
		const done = admin.page.locator(".modal.show", { hasText: "已认定：1 家" });
		await done.waitFor();
		await screenshot(admin.page, "recognition-recognised");
		await admin.page.keyboard.press("Escape");
		certificate = await admin.page.evaluate(async (publicity) => {
			const { message } = await frappe.db.get_value("GZ Recognition", { publicity }, ["name", "verification_code"]);
			return message;
		}, graduate.ended_publicity);
		await admin.page.goto(`${BASE_URL}/app/gz-recognition/${encodeURIComponent(certificate.name)}`);
		await admin.page.locator(".indicator-pill", { hasText: "有效" }).first().waitFor();
		await screenshot(admin.page, "recognition-certificate-desk");
	} finally {
		await admin.context.close();
	}
	for (const viewport of VIEWPORTS) {
		const context = await session.browser.newContext({ locale: "zh-CN", viewport });
		const page = await context.newPage();
		try {
			await page.goto(`${BASE_URL}/verify/${certificate.verification_code}`);
			await page.locator(".gz-verify-certificate", { hasText: "该认定证书真实有效" }).waitFor();
			assert.match(await page.locator(".gz-verify-result").innerText(), new RegExp(certificate.name));
			await screenshot(page, `recognition-verify-${viewport.width}`);
			await page.goto(`${BASE_URL}/recognised`);
			await page.locator(`.gz-recognised-list tr[data-certificate="${certificate.name}"]`).waitFor();
			await screenshot(page, `recognition-list-${viewport.width}`);
		} finally {
			await context.close();
		}
	}
	const { context, page } = await portalAs(graduate.mobile, graduate.password, VIEWPORTS[0]);
	try {
		await page.goto(`${BASE_URL}/cultivation`);
		const row = page.locator(`.gz-recognitions tr[data-certificate="${certificate.name}"]`);
		await row.waitFor();
		const href = await row.locator(".gz-certificate-pdf").getAttribute("href");
		const pdf = await page.request.get(`${BASE_URL}${href}`);
		assert.equal(pdf.status(), 200);
		assert.match(pdf.headers()["content-type"], /pdf/);
		await screenshot(page, "recognition-certificate-center");
	} finally {
		await context.close();
	}
});
