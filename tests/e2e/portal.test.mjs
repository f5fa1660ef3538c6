// The portal as a new enterprise user walks it, on a desktop (1280 px) and on a phone (390 px): the
// platform home → 免费注册 → 企业认证 (autosaved steps that survive a reload) → 个人控制台 → 创新平台管理中心
// → a draft autosaved while typing that survives a reload, a dropped network and a second tab → 提交申请
// → who acts next → returned by the city (reason pinned, fields marked) → resubmitted. Screenshots of
// every step go to the output folder; no page scrolls sideways.
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import {
	BASE_URL,
	LICENCE_PDF,
	OUTPUT_DIR,
	assertNoSidewaysScroll,
	browserSession,
	certifyStepOne,
	deskAction,
	deskPage,
	deskReturn,
	fillRegistration,
	fixtures,
	login,
	randomUscc,
	screenshot,
	submitApplication,
} from "./helpers.mjs";

const session = browserSession();
const portal = fixtures.portal;
const DESKTOP = { name: "desktop", viewport: { width: 1280, height: 900 } };
const PHONE = { name: "phone", viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

async function approveInDesk(uscc, enterpriseName) {
	const { context, page } = await deskPage(session.browser);
	await page.goto(`${BASE_URL}/app/enterprise/${uscc}`, { waitUntil: "domcontentloaded" });
	await page.locator(".page-title", { hasText: enterpriseName }).first().waitFor();
	const status = page.locator('.frappe-control[data-fieldname="certification_status"]');
	await status.filter({ hasText: "审核中" }).waitFor();
	await deskAction(page, "通过");
	await status.filter({ hasText: "已认证" }).waitFor();
	await context.close();
}

async function returnInDesk(name, reason) {
	const { context, page } = await deskPage(session.browser);
	try {
		await returnOn(page, name, reason);
	} catch (error) {
		await screenshot(page, "portal-desk-return-failed").catch(() => {});
		throw error;
	} finally {
		await context.close();
	}
}

async function returnOn(page, name, reason) {
	await page.goto(`${BASE_URL}/app/cultivation-submission/${name}`, { waitUntil: "domcontentloaded" });
	const status = page.locator('.frappe-control[data-fieldname="status"]');
	await status.filter({ hasText: "已提交" }).waitFor();
	await deskAction(page, "受理");
	await status.filter({ hasText: "市州初审" }).waitFor();
	await deskReturn(page, reason);
	await status.filter({ hasText: "退回修改" }).waitFor();
}

async function walk(device) {
	const context = await session.browser.newContext({ locale: "zh-CN", ...device, name: undefined });
	const page = await context.newPage();
	try {
		await walkOn(page, context, device);
	} catch (error) {
		// Where it stopped, to look at.
		if (!page.isClosed()) await screenshot(page, `portal-${device.name}-failed`).catch(() => {});
		throw error;
	} finally {
		await context.close();
	}
}

async function walkOn(page, context, device) {
	const errors = [];
	page.on("pageerror", (error) => errors.push(error.message));
	let step = 0;
	const shot = async (label) => {
		await assertNoSidewaysScroll(page, label);
		await screenshot(page, `portal-${device.name}-${String(++step).padStart(2, "0")}-${label}`);
	};

	// The platform home, as a guest.
	await page.goto(`${BASE_URL}/`);
	await page.locator(".gz-topbar .gz-login-link", { hasText: "登录" }).waitFor();
	await page.locator(".gz-topbar .gz-register-link", { hasText: "免费注册" }).waitFor();
	await page.locator(".gz-notice-title", { hasText: "浏览器测试公告" }).waitFor();
	await page.locator(".gz-notices .gz-attachment", { hasText: "培育工作通知" }).first().waitFor();
	const batch = page.locator(`.gz-home-batch[data-batch="${portal.batch}"]`);
	await batch.locator(".gz-countdown", { hasText: "距截止还有" }).waitFor();
	assert.match(await batch.innerText(), /企业技术中心/);
	assert.doesNotMatch(await batch.innerText(), /工业设计中心/); // no rule set: not offered
	await page.locator(".gz-download-manual", { hasText: "用户操作手册" }).waitFor();
	await page.locator(".gz-download-commitment", { hasText: "真实性承诺说明" }).waitFor();
	// 下载专区 answers: the commitment as a Word document, the manual as a guide without internal notes.
	const word = await page.request.get(BASE_URL + (await page.locator(".gz-download-commitment").getAttribute("href")));
	assert.equal(word.status(), 200);
	assert.match(word.headers()["content-type"], /officedocument\.wordprocessingml|octet-stream/);
	assert.equal((await word.body()).subarray(0, 2).toString(), "PK");
	assert.equal(await page.locator(".gz-notices .gz-all-notices").getAttribute("href"), "/notices");
	await page.locator(".gz-support", { hasText: "4000636007" }).waitFor();
	await page.locator(".gz-browser-note", { hasText: "360 浏览器" }).waitFor();
	await shot("home");
	await page.click(".gz-download-manual");
	await page.waitForURL(/\/user-manual$/);
	await page.locator(".gz-guide-content h2", { hasText: "企业认证" }).waitFor();
	assert.doesNotMatch(await page.locator("main").innerText(), /门户设置|管理员可在后台/);
	await shot("user-manual");
	await page.goto(`${BASE_URL}/`);

	// 免费注册 at the top right.
	await page.click(".gz-topbar .gz-register-link");
	await page.waitForURL(/\/register/);
	await shot("register");
	await fillRegistration(page, { fullName: "门户测试" });
	await page.locator(".gz-certify-prompt").waitFor();
	// The console: what a personal user cannot use yet says why; 企业成员 is the admin's.
	const center = page.locator('.gz-nav-item[data-key="cultivation"]');
	// (on a phone the navigation is folded away until its button opens it)
	await center.locator(".gz-nav-note", { hasText: "请先完成企业认证" }).waitFor({ state: "attached" });
	assert.equal(await center.locator("a").count(), 0);
	assert.equal(await page.locator('.gz-nav-item[data-key="members"]').count(), 0);
	await page.locator(".gz-who-role", { hasText: "个人用户" }).waitFor();
	await shot("account-center-personal");

	// 企业认证: the steps are saved while typing and survive a reload.
	if (device.isMobile) await page.click(".gz-nav-toggle");
	await page.click('.gz-nav-item[data-key="certify"] a');
	await page.waitForURL(/\/certify/);
	const uscc = randomUscc();
	const enterpriseName = "贵州门户测试科技有限公司" + uscc.slice(-4);
	// Step 1 checks the name (manual §2.1.3): a certified enterprise can only be joined, no 下一步.
	await page.fill('[name="enterprise_name"]', portal.enterprise_name);
	await page.locator(".gz-name-check .gz-name-certified").waitFor();
	await page.locator(".gz-name-check .gz-join", { hasText: "申请加入" }).waitFor();
	// The answer sits right under the name it answers.
	const typed = await page.locator('[name="enterprise_name"]').boundingBox();
	const answer = await page.locator(".gz-name-check .gz-name-certified").boundingBox();
	assert.ok(answer.y >= typed.y + typed.height, "the check's answer is under the name field");
	assert.equal(await page.locator(".gz-next").isVisible(), false);
	assert.equal(await page.locator('[name="uscc"]').isVisible(), false);
	await shot("certify-name-certified");
	await certifyStepOne(page, enterpriseName, uscc);
	await page.locator('.gz-steps li.active[data-step="2"]').waitFor();
	// A step's required fields are checked when the step is left, not at the end.
	await page.click(".gz-next");
	await page.locator('.gz-error[data-for="industry"]', { hasText: "必填" }).waitFor();
	await page.locator('.gz-steps li.active[data-step="2"]').waitFor();
	await shot("certify-step-error");
	// 所属行业: the national standard's divisions, by section.
	assert.ok(await page.locator('[name="industry"] optgroup[label="制造业"] option[value="医药制造业"]').count());
	await page.selectOption('[name="industry"]', "专用设备制造业");
	await page.selectOption('[name="ownership_type"]', "民营企业");
	await page.fill('[name="registration_date"]', "2016-05-20");
	await page.fill('[name="registered_capital"]', "800");
	await page.selectOption('[name="city"]', "贵阳市");
	await page.selectOption('[name="county"]', "观山湖区");
	await page.fill('[name="address"]', "贵阳市观山湖区林城东路1号");
	await page.fill('[name="contact_person"]', "张经理");
	await page.fill('[name="contact_phone"]', "0851-88886666");
	await page.locator(".gz-save-state", { hasText: "已自动保存" }).waitFor();
	await shot("certify-autosaved");
	await page.reload();
	await page.locator('.gz-steps li.active[data-step="2"]').waitFor();
	assert.equal(await page.inputValue('[name="contact_phone"]'), "0851-88886666");
	assert.equal(await page.inputValue('[name="county"]'), "观山湖区");
	// Without the licence, 下一步 stops here, at the licence.
	await page.click(".gz-next");
	await page.locator('.gz-error[data-for="business_licence"]', { hasText: "营业执照" }).waitFor();
	await page.locator('.gz-steps li.active[data-step="2"]').waitFor();
	mkdirSync(OUTPUT_DIR, { recursive: true });
	const licence = join(OUTPUT_DIR, "portal-licence.pdf");
	writeFileSync(licence, LICENCE_PDF);
	await page.setInputFiles('[name="licence_file"]', licence);
	await page.locator(".gz-licence", { hasText: "已上传" }).waitFor();
	await page.click(".gz-next");
	await page.locator('.gz-steps li.active[data-step="3"]').waitFor();
	await page.locator(".gz-step-note", { hasText: "本模块根据实际业务需要进行填写" }).waitFor();
	await page.click(".gz-skip");
	await page.locator('.gz-steps li.active[data-step="4"]').waitFor();
	assert.match(await page.locator('.gz-steps li.active[data-step="4"]').innerText(), /授权人信息/);
	assert.doesNotMatch(await page.locator(".gz-steps").innerText(), /被授权人/);
	await page.locator(".gz-step-note", { hasText: "本模块根据实际业务需要进行填写" }).waitFor();
	await shot("certify-step-4-note");
	// The step tabs open a step with a click: back to 2, then on to 5.
	await page.click('.gz-step-tab[data-step="2"]');
	await page.locator('.gz-steps li.active[data-step="2"]').waitFor();
	assert.equal(await page.inputValue('[name="contact_phone"]'), "0851-88886666");
	await page.click('.gz-step-tab[data-step="5"]');
	await page.locator('.gz-steps li.active[data-step="5"]').waitFor();
	await page.check('[name="needs_digital_certification"]');
	await page.check('[name="auth_type"][value="科技创新服务平台"]');
	await page.click(".gz-submit-application");
	await page.locator(".gz-status", { hasText: "审核中" }).waitFor();
	await shot("certify-submitted");
	// 账户信息 and the head say 审核中, not "personal user, please certify".
	await page.goto(`${BASE_URL}/account-center`);
	await page.locator(".gz-certify-in-review", { hasText: "审核中" }).waitFor();
	assert.doesNotMatch(await page.locator("main").innerText(), /请进行企业认证|尚未认证企业/);
	assert.match(await page.locator(".gz-who-enterprise").innerText(), new RegExp(`${enterpriseName}.*审核中`));
	await shot("account-center-under-review");
	await page.goto(`${BASE_URL}/personal-console`);
	await page.locator(".gz-next-step", { hasText: "企业认证审核中" }).waitFor();
	await center.locator(".gz-nav-note", { hasText: "审核中" }).waitFor({ state: "attached" });
	await shot("console-under-review");

	// The reviewer approves in Desk; the console now shows the enterprise and the admin role.
	await approveInDesk(uscc, enterpriseName);
	await page.goto(`${BASE_URL}/personal-console`);
	await page.locator(".gz-who-enterprise", { hasText: enterpriseName }).waitFor();
	await page.locator(".gz-who-role", { hasText: "企业管理员" }).waitFor();
	await page.locator('.gz-nav-item[data-key="members"] a').waitFor({ state: "attached" });
	await shot("console-admin");
	await page.goto(`${BASE_URL}/members`);
	await page.locator(".gz-member-table tbody tr").first().waitFor();
	// Adding a staff account says so.
	const staff = "e2e_staff_" + Date.now().toString(36);
	await page.fill('.gz-add-staff [name="mobile"]', "139" + String(Date.now()).slice(-8));
	await page.fill('.gz-add-staff [name="username"]', staff);
	await page.fill('.gz-add-staff [name="full_name"]', "新员工");
	await page.fill('.gz-add-staff [name="default_password"]', "Staff@2026x");
	await page.click('.gz-add-staff [type="submit"]');
	await page.locator(".gz-done", { hasText: `已添加员工账号 新员工（${staff}）` }).waitFor();
	await page.locator(".gz-member-table tbody tr", { hasText: staff }).waitFor();
	await shot("members");

	// 创新平台管理中心: the batch's countdown; a type without a rule set is 本批次未开放.
	await page.goto(`${BASE_URL}/personal-console`);
	if (device.isMobile) await page.click(".gz-nav-toggle");
	await page.click('.gz-nav-item[data-key="cultivation"] a');
	await page.waitForURL(/\/cultivation/);
	const listed = page.locator(`.gz-batch[data-batch="${portal.batch}"]`);
	await listed.locator(".gz-countdown", { hasText: "距截止还有" }).waitFor();
	await listed.locator('.gz-not-offered[data-type="工业设计中心"]', { hasText: "本批次未开放" }).waitFor();
	assert.equal(await listed.locator('.gz-fill[data-type="工业设计中心"]').count(), 0);
	await shot("center");
	// The breadcrumbs are links: 控制台 leads to the console.
	await page.click('.gz-crumbs a:has-text("控制台")');
	await page.waitForURL(/\/personal-console/);
	await page.goBack();
	await listed.locator(`.gz-fill[data-type="企业技术中心"]`).click();
	await page.locator(".gz-sub-form .gz-indicators input").first().waitFor();

	// The draft is saved while typing and survives a reload.
	await page.fill('[name="invention_patents"]', "12");
	await page.fill('[name="rd_equipment_value"]', "5");
	await page.fill('[name="revenue"]', "180");
	await page.fill('[name="rd_expenditure"]', "50");
	await page.locator(".gz-save-state", { hasText: "已自动保存" }).waitFor();
	assert.match(await page.locator(".gz-save-state").innerText(), /已自动保存 \d\d:\d\d/);
	await shot("draft-autosaved");
	await page.reload();
	await page.locator(".gz-sub-form .gz-indicators input").first().waitFor();
	assert.equal(await page.inputValue('[name="invention_patents"]'), "12");
	assert.equal(await page.inputValue('[name="rd_equipment_value"]'), "5");
	assert.equal(await page.inputValue('[name="revenue"]'), "180");
	// What was left empty stays empty (待填), not "0件 不满足".
	assert.equal(await page.inputValue('[name="national_new_drugs"]'), "");
	await page.locator(".gz-precheck .gz-eval-result", { hasText: "待填" }).first().waitFor();
	await shot("draft-after-reload");

	// The network drops: the save is tried again, and leaving asks first.
	await context.setOffline(true);
	await page.fill('[name="software_copyrights"]', "3");
	await page.locator(".gz-save-state", { hasText: "网络异常" }).waitFor();
	await shot("draft-offline");
	let asked = null;
	page.once("dialog", async (dialog) => {
		asked = dialog.type();
		await dialog.dismiss(); // stay
	});
	await page.close({ runBeforeUnload: true });
	await page.waitForTimeout(500);
	assert.equal(asked, "beforeunload");
	await context.setOffline(false);
	await page.locator(".gz-save-state", { hasText: "已自动保存" }).waitFor({ timeout: 40000 });

	// The indicator category (the second 企业类型) and the 是/否 questions have no default: answered.
	await page.selectOption('[name="indicator_category"]', "其他");
	await page.check('[name="is_big_data_enterprise"][value="否"]');
	await page.check('[name="cmmi_level4"][value="否"]');

	// The draft's own deadline is the batch's closing time.
	assert.match(await page.locator(".gz-sub-form .gz-progress").innerText(), /申报截止时间\s*\d{4}-\d\d-\d\d \d\d:\d\d（北京时间）/);
	// 提交申请 asks first; 取消 submits nothing.
	await page.click(".gz-submit-sub");
	const ask = page.locator("dialog.gz-dialog[open]");
	await ask.locator("h4", { hasText: "确定提交申请吗" }).waitFor();
	await shot("submit-confirmation");
	await ask.locator(".gz-dialog-cancel").click();
	await ask.waitFor({ state: "detached" });
	assert.equal(await page.locator(".gz-sub-form").isVisible(), true);
	// Submit: the commitment first, then who acts next.
	await submitApplication(page);
	await page.locator('.gz-error[data-for="commitment"]', { hasText: "真实性承诺说明" }).waitFor();
	await page.check('[name="commitment"]');
	await submitApplication(page);
	await page.locator(".gz-detail .gz-evaluation").waitFor();
	await page.locator(".gz-detail .gz-submitted", { hasText: "已于" }).waitFor();
	await page.click('.nav-link[data-tab="values"]');
	await page.locator(".gz-detail .gz-holder", { hasText: "市州初审" }).waitFor();
	await page.locator(".gz-detail .gz-todo", { hasText: "无需操作" }).waitFor();
	// The 市州初审 deadline is the reviewers': the enterprise is never shown it, nor "已超期".
	assert.doesNotMatch(await page.locator(".gz-detail .gz-progress").innerText(), /截止|已超期/);
	await shot("submitted-who-acts-next");
	await page.click('.nav-link[data-tab="evaluation"]');
	await page.locator(".gz-detail .gz-evaluation").waitFor();
	// Every rule's result is in view without scrolling, at 390 px too.
	const width = page.viewportSize().width;
	for (const cell of await page.locator(".gz-detail .gz-evaluation .gz-eval-result").all()) {
		const box = await cell.boundingBox();
		assert.ok(box && box.x >= 0 && box.x + box.width <= width, `a result is out of view: ${JSON.stringify(box)}`);
	}
	await shot("submitted-evaluation");
	const name = decodeURIComponent(page.url().split("#detail/")[1]);
	assert.ok(name);

	// The city returns it with a reason; the enterprise sees it pinned, with the field it names.
	await returnInDesk(name, "研发原值请按财务报表填写");
	await page.goto(`${BASE_URL}/cultivation`);
	const row = page.locator(`.gz-records tr[data-name="${name}"]`);
	await row.locator(".gz-holder", { hasText: "企业" }).waitFor();
	await shot("center-returned");
	await row.locator(".gz-continue").click();
	await page.locator(".gz-returned .gz-returned-reason", { hasText: "研发原值请按财务报表填写" }).waitFor();
	await page.locator(".gz-returned .gz-concerns", { hasText: "研发原值" }).waitFor();
	await page.locator('.gz-concerned[data-field="rd_equipment_value"]').waitFor();
	await page.locator(".gz-sub-form .gz-todo", { hasText: "重新提交" }).waitFor();
	await shot("returned-reason-pinned");

	// Fixed and resubmitted: with the city again, evaluated again.
	await page.fill('[name="rd_equipment_value"]', "600");
	await page.fill('[name="revenue"]', "2600");
	await page.fill('[name="rd_expenditure"]', "120");
	await page.locator(".gz-precheck .gz-overall", { hasText: "满足限定性指标" }).filter({ hasNotText: "不满足" }).waitFor();
	await submitApplication(page);
	await page.locator(".gz-detail .gz-holder", { hasText: "市州初审" }).waitFor();
	assert.equal((await page.locator(".gz-recognition").innerText()).trim(), "待培育");
	await page.click('.nav-link[data-tab="history"]');
	assert.match(await page.locator(".gz-history tbody").innerText(), /退回修改.*研发原值请按财务报表填写/);
	await shot("resubmitted");
	assert.deepEqual(errors, []);
}

test("desktop (1280 px): home → register → certify → console → center → draft → submit → returned → resubmit", { skip: !portal }, async () => {
	await walk(DESKTOP);
});

test("phone (390 px): the same walk", { skip: !portal }, async () => {
	await walk(PHONE);
});

test("a draft saved in two tabs keeps the later save and tells the earlier tab", { skip: !portal }, async () => {
	const context = await session.browser.newContext({ locale: "zh-CN", viewport: DESKTOP.viewport });
	const first = await context.newPage();
	await login(first, fixtures.mobile, fixtures.password);
	await first.waitForURL(/\/account-center/);
	await first.goto(`${BASE_URL}/cultivation`);
	await first.locator(`.gz-fill[data-batch="${portal.batch}"][data-type="企业技术中心"]`).click();
	await first.locator('[name="invention_patents"]').waitFor();
	const second = await context.newPage();
	await second.goto(first.url());
	await second.locator('[name="invention_patents"]').waitFor();
	await second.fill('[name="invention_patents"]', "21");
	await second.locator(".gz-save-state", { hasText: "已自动保存" }).waitFor();
	await first.fill('[name="invention_patents"]', "20"); // typed in the tab opened earlier
	await first.locator(".gz-conflict", { hasText: "其他窗口或设备上保存" }).waitFor();
	await first.locator(".gz-save-state", { hasText: "此草稿已在其他窗口修改" }).waitFor();
	await screenshot(first, "portal-two-tabs-earlier-tab-told");
	await first.click(".gz-load-latest");
	await first.waitForFunction(() => document.querySelector('[name="invention_patents"]').value === "21");
	await context.close();
});

test("a draft of a batch that has closed is read-only and says why", { skip: !portal }, async () => {
	const context = await session.browser.newContext({ locale: "zh-CN", ...PHONE, name: undefined });
	const page = await context.newPage();
	await login(page, fixtures.mobile, fixtures.password);
	await page.waitForURL(/\/account-center/);
	await page.goto(`${BASE_URL}/cultivation#form/${encodeURIComponent(portal.closed_draft)}`);
	await page.locator(".gz-readonly", { hasText: "截止" }).waitFor();
	assert.equal(await page.locator('[name="invention_patents"]').getAttribute("readonly"), "");
	assert.equal(await page.locator(".gz-submit-sub").isVisible(), false);
	assert.equal(await page.locator(".gz-save").isVisible(), false);
	await assertNoSidewaysScroll(page, "closed draft");
	await screenshot(page, "portal-closed-batch-draft-read-only");
	await context.close();
});

test("every portal page is usable at 390 px: nothing scrolls sideways but the 指标评定 table, inside itself", { skip: !portal }, async () => {
	const context = await session.browser.newContext({ locale: "zh-CN", ...PHONE, name: undefined });
	const page = await context.newPage();
	const visit = async (path, ready, label) => {
		await page.goto(`${BASE_URL}${path}`);
		await page.locator(ready).first().waitFor();
		await assertNoSidewaysScroll(page, path);
		await screenshot(page, `portal-phone-page-${label}`);
	};
	await visit("/", ".gz-topbar", "home");
	await visit("/notices", ".gz-notice-title", "notices");
	await visit(`/notices/${encodeURIComponent(portal.notice)}`, ".gz-attachment", "notice");
	await visit("/register", '[name="mobile"]', "register");
	await visit("/forgot-password", ".gz-submit", "forgot-password");
	await login(page, fixtures.mobile, fixtures.password);
	await page.waitForURL(/\/account-center/);
	// The console's navigation folds away on a phone and opens from its button.
	const nav = page.locator('.gz-nav-item[data-key="cultivation"] a');
	assert.equal(await nav.isVisible(), false);
	await page.click(".gz-nav-toggle");
	await nav.waitFor();
	await assertNoSidewaysScroll(page, "navigation open");
	await screenshot(page, "portal-phone-page-navigation");
	for (const [path, ready] of [
		["/personal-console", ".gz-who-role"],
		["/account-center", ".gz-who-role"],
		["/members", ".gz-member-table"],
		["/certify", ".gz-who-role"],
		["/change-password", '[name="confirm_password"]'],
		["/cultivation", `.gz-batch[data-batch="${portal.batch}"]`],
	]) {
		await visit(path, ready, path.slice(1));
	}
	await context.close();
});
