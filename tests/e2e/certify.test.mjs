// Manual §2.1.3: a new user certifies an enterprise in six steps with one draft-and-resume,
// a reviewer approves in Desk, the user sees 已认证.
import assert from "node:assert/strict";
import { writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import {
	BASE_URL,
	LICENCE_PDF,
	OUTPUT_DIR,
	browserSession,
	deskPage,
	randomUscc,
	registerThroughPage,
	screenshot,
} from "./helpers.mjs";

const session = browserSession();

async function stepIs(page, number) {
	await page.locator(`.gz-steps li.active[data-step="${number}"]`).waitFor();
}

test("six steps, a draft resumed, approval in Desk, 已认证 for the user", async () => {
	const { page, browser } = session;
	const uscc = randomUscc();
	const enterpriseName = "贵州端到端科技有限公司" + uscc.slice(-4);
	await registerThroughPage(page);
	await page.click(".gz-certify-link");
	await page.waitForURL(/\/certify/);

	// Step 1: the name is checked (not certified), then the code.
	await stepIs(page, 1);
	await page.fill('[name="enterprise_name"]', enterpriseName);
	await page.locator(".gz-name-check .gz-name-new").waitFor();
	await page.fill('[name="uscc"]', "91520000791221272L"); // fails the check
	await page.click(".gz-next");
	await page.locator('.gz-error[data-for="uscc"]', { hasText: "校验位不正确" }).waitFor();
	await screenshot(page, "certify-1-bad-uscc");
	await page.fill('[name="uscc"]', uscc);
	await page.click(".gz-next");

	// Step 2: enterprise information, licence upload, 暂存, leave and come back.
	await stepIs(page, 2);
	await page.selectOption('[name="industry"]', "专用设备制造业");
	await page.selectOption('[name="ownership_type"]', "民营企业");
	await page.fill('[name="registration_date"]', "2016-05-20");
	await page.fill('[name="registered_capital"]', "800");
	await page.fill('[name="annual_revenue"]', "2600");
	await page.fill('[name="rd_expenditure"]', "120");
	await page.selectOption('[name="city"]', "贵阳市");
	await page.selectOption('[name="county"]', "观山湖区");
	await page.fill('[name="address"]', "贵阳市观山湖区林城东路1号");
	await page.fill('[name="contact_person"]', "张经理");
	await page.fill('[name="contact_phone"]', "0851-88886666");
	mkdirSync(OUTPUT_DIR, { recursive: true });
	const licence = join(OUTPUT_DIR, "licence.pdf");
	writeFileSync(licence, LICENCE_PDF);
	await page.setInputFiles('[name="licence_file"]', licence);
	await page.locator(".gz-licence", { hasText: "已上传" }).waitFor();
	await page.click(".gz-draft");
	await page.locator(".gz-form-note", { hasText: "已暂存" }).waitFor();
	await screenshot(page, "certify-2-draft-saved");

	await page.goto(`${BASE_URL}/account-center`);
	await page.goto(`${BASE_URL}/certify`);
	await stepIs(page, 2);
	assert.equal(await page.inputValue('[name="address"]'), "贵阳市观山湖区林城东路1号");
	assert.equal(await page.inputValue('[name="county"]'), "观山湖区");
	assert.equal(await page.inputValue('[name="registered_capital"]'), "800");
	await screenshot(page, "certify-2-resumed");
	await page.click(".gz-next");

	// Going back keeps values; steps 3 and 4 may be skipped.
	await stepIs(page, 3);
	await page.fill('[name="legal_person_name"]', "王法人");
	await page.click(".gz-next");
	await stepIs(page, 4);
	await page.click(".gz-prev");
	await stepIs(page, 3);
	assert.equal(await page.inputValue('[name="legal_person_name"]'), "王法人");
	await page.click(".gz-skip");
	await stepIs(page, 4);
	await page.click(".gz-skip");

	// Step 5: 数字工信 authorisation, then submit.
	await stepIs(page, 5);
	await page.check('[name="needs_digital_certification"]');
	await page.check('[name="auth_type"][value="科技创新服务平台"]');
	await page.fill('[name="auth_details"][data-type="科技创新服务平台"]', "提供科技创新服务");
	await screenshot(page, "certify-5");
	await page.click(".gz-submit-application");
	await page.locator(".gz-status", { hasText: "审核中" }).waitFor();
	await screenshot(page, "certify-6-under-review");

	// The reviewer approves in Desk.
	const { context: desk, page: reviewer } = await deskPage(browser);
	await reviewer.goto(`${BASE_URL}/app/enterprise/${uscc}`, { waitUntil: "domcontentloaded" });
	await reviewer.locator(".page-title", { hasText: enterpriseName }).first().waitFor();
	const status = reviewer.locator('.frappe-control[data-fieldname="certification_status"]');
	await status.filter({ hasText: "审核中" }).waitFor();
	await screenshot(reviewer, "desk-review");
	await reviewer.locator("button", { hasText: "操作" }).first().click();
	await reviewer.locator(".dropdown-menu.show a, .dropdown-menu.show .dropdown-item", { hasText: "通过" }).first().click();
	await status.filter({ hasText: "已认证" }).waitFor();
	await screenshot(reviewer, "desk-approved");
	await desk.close();

	// The user sees 已认证 and is the enterprise admin.
	await page.goto(`${BASE_URL}/account-center`);
	await page.locator(".gz-enterprise", { hasText: "已认证" }).waitFor();
	assert.match(await page.locator(".gz-enterprise").innerText(), /企业管理员/);
	await screenshot(page, "account-center-certified");
});
