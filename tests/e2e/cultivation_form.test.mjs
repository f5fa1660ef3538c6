// Manual §3.1.1, the 限定性指标 form as the manual shows it: 一、基本信息 field by field (prefilled from
// the enterprise's record), the second 企业类型 (indicator category) that the live pre-check follows at
// once, 二、限定性指标 with 是/否 as radio buttons (no default), the 《真实性承诺说明》 as a Word document,
// 提交申请, and 申报详情 showing every basic-information field.
import assert from "node:assert/strict";
import { test } from "node:test";
import { BASE_URL, browserSession, fixtures, login, screenshot, submitApplication } from "./helpers.mjs";

const session = browserSession();
const form = fixtures.form || {};
// 一、基本信息 as the manual lists it, with what the enterprise's record holds.
const BASIC = [
	["统一社会信用代码", "uscc"],
	["企业名称", "enterprise_name"],
	["所属行业", "industry"],
	["企业类型", "ownership_type"],
	["注册时间", "registration_date"],
	["注册资本", "registered_capital"],
	["主营业务收入", "annual_revenue"],
	["研发投入", "rd_expenditure"],
	["单位联系人", "contact_person"],
	["单位联系人电话", "contact_phone"],
	["电子邮箱", "contact_email"],
	["企业在研项目地址", "address"],
	["单位简介", "introduction"],
	["主营产品/服务", "main_products"],
];
const INPUT_OF = { rd_expenditure: "rd_investment" }; // 研发投入 on the form

async function resultOf(page, label) {
	const row = page.locator(".gz-precheck .gz-evaluation tr", { hasText: label }).first();
	return (await row.locator("td").nth(3).innerText()).trim();
}

test("the whole form as the manual: basic information, category, 是/否, Word commitment, 申报详情", { skip: !form.mobile || !fixtures.batch }, async () => {
	const { page } = session;
	await login(page, form.mobile, form.password);
	await page.waitForURL(/\/account-center/);
	await page.goto(`${BASE_URL}/cultivation`);
	await page.locator(`.gz-fill[data-batch="${fixtures.batch}"][data-type="企业技术中心"]`).click();
	await page.locator(".gz-sub-form .gz-basic input").first().waitFor();
	const values = { ...form.values, enterprise_name: form.enterprise_name };

	// 一、基本信息: every field of the manual, prefilled from the record; the code cannot be typed over.
	const labels = await page.locator(".gz-basic label").allInnerTexts();
	assert.deepEqual(labels.map((l) => l.replace("*", "").trim()), BASIC.map(([label]) => label));
	for (const [label, field] of BASIC) {
		const input = page.locator(`.gz-basic [name="${INPUT_OF[field] || field}"]`);
		assert.equal(String(await input.inputValue()), String(values[field]), label);
	}
	assert.equal(await page.locator('.gz-basic [name="uscc"]').isDisabled(), true);
	assert.match(await page.locator(".gz-master-note").innerText(), /不会改变企业档案.*\/enterprise-update/s);
	// 是/否 as radio buttons "否 / 是", none chosen yet.
	const radios = page.locator('[name="is_big_data_enterprise"]');
	assert.deepEqual(await radios.evaluateAll((els) => els.map((e) => [e.value, e.checked])), [["否", false], ["是", false]]);

	// 二、限定性指标 as the manual's example, with one 国家级工法.
	for (const [field, value] of Object.entries({
		rd_equipment_value: "5",
		invention_patents: "12",
		plant_varieties: "0",
		national_crop_varieties: "0",
		national_new_drugs: "0",
		national_tcm_varieties: "0",
		ic_layout_designs: "0",
		national_level_methods: "1",
		national_methods: "0",
		software_copyrights: "3",
	})) {
		await page.fill(`.gz-indicators [name="${field}"]`, value);
	}
	await page.check('[name="is_big_data_enterprise"][value="否"]');
	await page.check('[name="cmmi_level4"][value="否"]');
	// The category decides which indicators apply: the pre-check follows each choice at once.
	await page.selectOption('[name="indicator_category"]', "建筑业");
	await page.locator(".gz-category-hint", { hasText: "国家级工法" }).waitFor();
	await page.locator(".gz-precheck tr", { hasText: "国家级工法" }).filter({ hasText: "满足" }).filter({ hasNotText: "不适用" }).waitFor();
	assert.equal(await resultOf(page, "国家级工法"), "满足");
	await screenshot(page, "cultivation-form-category-construction");
	await page.selectOption('[name="indicator_category"]', "其他"); // the manual's 企业类型: 其他
	await page.locator(".gz-precheck tr", { hasText: "国家级工法" }).filter({ hasText: "不适用" }).waitFor();
	assert.equal(await resultOf(page, "国家级工法"), "不适用");
	assert.equal(await resultOf(page, "发明专利"), "满足");
	assert.equal(await resultOf(page, "企业研发经费支出"), "满足");
	assert.equal(await resultOf(page, "规模以上企业"), "不满足");
	assert.equal(await resultOf(page, "研发原值"), "不满足");
	await page.locator(".gz-precheck .gz-overall", { hasText: "不满足限定性指标" }).waitFor();
	await screenshot(page, "cultivation-form-filled");

	// A bad value is named by its field (the document's rule, heard by the form).
	await page.fill('.gz-basic [name="contact_email"]', "cchen@zhiyuan");
	await page.click(".gz-save");
	await page.locator('.gz-error[data-for="contact_email"]', { hasText: "电子邮箱：请输入正确的电子邮箱" }).waitFor();
	await page.fill('.gz-basic [name="contact_email"]', values.contact_email);

	// 《真实性承诺说明》 as a Word document, filled with the enterprise's name and code.
	const href = await page.locator(".gz-commitment-docx").getAttribute("href");
	const docx = await page.request.get(`${BASE_URL}${href}`);
	assert.equal(docx.status(), 200);
	assert.match(docx.headers()["content-type"], /wordprocessingml/);
	assert.equal((await docx.body()).subarray(0, 2).toString(), "PK"); // a .docx is a zip
	await page.check('[name="commitment"]');
	await submitApplication(page);

	// 申报详情: 指标评定 as the manual, then 限定性指标 with every basic-information field.
	await page.locator(".gz-detail .gz-evaluation").waitFor();
	const table = await page.locator(".gz-detail .gz-evaluation tbody").innerText();
	assert.match(table, /发明专利\s+12件\s+满足/);
	assert.match(table, /企业研发经费支出\s+28\.00%\s+满足/);
	assert.match(table, /规模以上企业\(营业收入2000万以上\)\s+180\.0万元\s+不满足/);
	assert.match(table, /研发原值\s+5万元\s+不满足/);
	assert.equal((await page.locator(".gz-recognition").innerText()).trim(), "不满足限定性指标");
	await page.click('.nav-link[data-tab="values"]');
	const detail = page.locator(".gz-detail-basic");
	for (const [label, field] of BASIC) {
		const text = await detail.locator(`tr[data-field="${INPUT_OF[field] || field}"]`).innerText();
		assert.ok(text.includes(label) && text.includes(String(values[field])), `${label}: ${text}`);
	}
	assert.match(await detail.locator('tr[data-field="indicator_category"]').innerText(), /企业类型（指标类别）\s+其他/);
	assert.match(await page.locator('.gz-detail-indicators tr[data-field="is_big_data_enterprise"]').innerText(), /否/);
	await screenshot(page, "cultivation-form-detail");
});
