// Rules edited without code, in Desk (Cultivation Rule Set): the trial run beside the rules (on the
// manual's example, the batch having no submission yet) follows an edit at once; 插入字段 lists the
// fields by their Chinese names and inserts a category condition into a rule, whose result turns 不适用.
import assert from "node:assert/strict";
import { test } from "node:test";
import { BASE_URL, browserSession, deskPage, fixtures, screenshot } from "./helpers.mjs";

const session = browserSession();
const batch = fixtures.rule_editor_batch;

async function trialOf(page, label) {
	const row = page.locator(".gz-trial tbody tr", { hasText: label }).first();
	return (await row.locator("td").nth(2).innerText()).trim();
}

test("the rule set form: trial run on the manual's example, refreshed on edit; 插入字段 by Chinese name", { skip: !batch }, async () => {
	const { context, page } = await deskPage(session.browser);
	try {
		await page.goto(`${BASE_URL}/app/cultivation-rule-set/${encodeURIComponent(`企业技术中心-${batch}`)}`);
		await page.locator(".gz-trial tbody tr", { hasText: "发明专利" }).waitFor();
		assert.match(await page.locator(".gz-trial-source").innerText(), /操作手册示例/);
		assert.match(await page.locator(".gz-trial thead").innerText(), /操作手册示例/);
		assert.equal(await trialOf(page, "发明专利"), "满足 12件");
		assert.equal(await trialOf(page, "企业研发经费支出"), "满足 28.00%");
		assert.equal(await trialOf(page, "规模以上企业"), "不满足 180.0万元");
		assert.equal(await trialOf(page, "国家级工法"), "不适用 -");
		assert.match(await page.locator(".gz-trial-overall").innerText(), /不满足限定性指标/);
		await screenshot(page, "rule-editor-trial");

		// An edit (not saved) shows at once: 发明专利 ≥ 20 fails the example's 12.
		await page.evaluate(() => {
			const row = cur_frm.doc.rules.find((r) => r.label === "发明专利");
			frappe.model.set_value(row.doctype, row.name, "threshold", 20);
		});
		await page.locator(".gz-trial tbody tr", { hasText: "发明专利" }).filter({ hasText: "不满足" }).waitFor();
		assert.equal(await trialOf(page, "发明专利"), "不满足 12件");

		// 插入字段: the fields by Chinese name and unit; a value of the category goes into the condition.
		await page.getByRole("button", { name: "插入字段" }).click();
		const dialog = page.locator(".modal.show", { hasText: "插入到" });
		await dialog.locator(".gz-field-picker").waitFor();
		const patents = await dialog.locator('.gz-field-row[data-field="invention_patents"]').innerText();
		assert.match(patents, /发明专利\s+件\s+invention_patents/);
		const target = await dialog.locator('select[data-fieldname="target"] option', { hasText: "规则 1 发明专利：适用条件" }).getAttribute("value");
		await dialog.locator('select[data-fieldname="target"]').selectOption(target);
		await dialog.locator('input[data-fieldname="search"]').fill("企业类型");
		await dialog.locator('.gz-field-row[data-field="indicator_category"]').waitFor();
		assert.equal(await dialog.locator('.gz-field-row[data-field="invention_patents"]').count(), 0);
		await screenshot(page, "rule-editor-picker");
		await dialog.locator('.gz-insert-option[data-field="indicator_category"][data-option="建筑业"]').click();
		const condition = await page.evaluate(() => cur_frm.doc.rules.find((r) => r.label === "发明专利").condition);
		assert.equal(condition, 'indicator_category == "建筑业"');
		// The example's category is 其他: 发明专利 no longer applies to it.
		await page.locator(".gz-trial tbody tr", { hasText: "发明专利" }).filter({ hasText: "不适用" }).waitFor();
		await screenshot(page, "rule-editor-condition");
	} finally {
		await context.close();
	}
});
