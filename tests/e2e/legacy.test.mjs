// Manual §1.7: a user of the previous platform logs in with the old password, is asked to review the
// imported enterprise data (需更新完善), must correct a code that fails the check, then goes on.
import assert from "node:assert/strict";
import { test } from "node:test";
import { BASE_URL, browserSession, deskPage, fixtures, login, randomUscc, screenshot } from "./helpers.mjs";

const session = browserSession();

test("a legacy admin logs in with the old password and completes the imported data", { skip: !fixtures.legacy }, async () => {
	const { page } = session;
	const legacy = fixtures.legacy;
	await login(page, legacy.username, legacy.password);
	await page.waitForURL(/\/enterprise-update/);
	await page.locator(".gz-update-prompt", { hasText: "需更新完善" }).waitFor();
	await page.locator(".gz-uscc-flagged", { hasText: "GB 32100-2015" }).waitFor();
	// Prefilled with the imported values.
	assert.equal(await page.inputValue('[name="enterprise_name"]'), "贵州老用户科技有限公司");
	assert.equal(await page.inputValue('[name="uscc"]'), legacy.uscc);
	assert.equal(await page.inputValue('[name="ownership_type"]'), "民营企业");
	assert.equal(await page.inputValue('[name="county"]'), "南明区");
	await screenshot(page, "legacy-update-prefilled");

	// The account center says the same and links here.
	await page.goto(`${BASE_URL}/account-center`);
	await page.locator(".gz-update-prompt", { hasText: "需更新完善" }).waitFor();
	await screenshot(page, "legacy-account-center");
	await page.click(".gz-update-link");
	await page.waitForURL(/\/enterprise-update/);

	// The imported code fails the check: saving it unchanged is refused beside the field.
	await page.click(".gz-save-update");
	await page.locator('.gz-error[data-for="uscc"]', { hasText: "统一社会信用代码" }).waitFor();
	await screenshot(page, "legacy-update-uscc-refused");

	await page.fill('[name="uscc"]', randomUscc());
	// The previous platform's 所属行业 is not in the list kept in Desk: the form says so, and the
	// save asks for one of the list.
	await page.locator(".gz-withdrawn", { hasText: "科技服务业" }).waitFor();
	await page.click(".gz-save-update");
	await page.locator('.gz-error[data-for="industry"]', { hasText: "行业" }).waitFor();
	await screenshot(page, "legacy-update-industry-again");
	await page.selectOption('[name="industry"]', "科技推广和应用服务业");
	await page.click(".gz-save-update");
	await page.waitForURL(/\/cultivation/);
	await page.locator(".gz-updated", { hasText: "企业信息已保存" }).waitFor();
	await page.locator(".gz-records tbody tr").first().waitFor();
	await screenshot(page, "legacy-update-done");
	// The prompt is gone: the account center no longer asks.
	await page.goto(`${BASE_URL}/account-center`);
	assert.equal(await page.locator(".gz-update-prompt").count(), 0);
});

test("an administrator sees the import's result in Desk and can run it again", { skip: !fixtures.legacy }, async () => {
	const { browser } = session;
	const { context, page } = await deskPage(browser);
	try {
		await page.goto(`${BASE_URL}/app/legacy-import/${fixtures.legacy.import}`);
		await page.getByRole("button", { name: "再次导入" }).waitFor();
		await page.getByText("已完成").first().waitFor();
		await page.getByText("新建用户").first().waitFor();
		await screenshot(page, "legacy-import-desk");
	} finally {
		await context.close();
	}
});
