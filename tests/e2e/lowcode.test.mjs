// Low-code in Desk, filmed: the administrator opens 配置 on the department workspace, creates a
// programme (培育类型) with five indicator fields under two headings and its own commitment, and adds a
// review stage (区县初审) before 市州初审, typing into Desk's forms as a person does. Each step is a
// screenshot (lowcode-*.png); the server's answer is read back through Desk's REST. What was made is
// removed at the end, and the manual's route is back.
import assert from "node:assert/strict";
import { test } from "node:test";
import { BASE_URL, browserSession, deskPage, screenshot } from "./helpers.mjs";

const session = browserSession();
const TAG = Math.random().toString(36).slice(2, 7).toUpperCase();
const PROGRAMME = `专精特新培育${TAG}`;
const STAGE = `区县初审${TAG}`;
const FIELDS = [
	["invention_patents", "知识产权"],
	["software_copyrights", ""],
	["revenue", "经营规模"],
	["rd_expenditure", ""],
	["rd_equipment_value", ""],
];
let desk;

async function api(method, path, data) {
	const response = await desk.page.request.fetch(`${BASE_URL}${path}`, {
		method,
		data,
		headers: { "X-Frappe-CSRF-Token": await desk.page.evaluate(() => frappe.csrf_token) },
	});
	return { status: response.status(), body: await response.json().catch(() => ({})) };
}

async function fill(page, fieldname, value) {
	const input = page.locator(`.frappe-control[data-fieldname="${fieldname}"] :is(input, textarea, select)`).first();
	if ((await input.evaluate((el) => el.tagName)) === "SELECT") await input.selectOption(value);
	else await input.fill(String(value));
	await input.blur();
}

// Add a row to a Desk grid as a person does: 添加行 opens the new row's form; each field is typed and
// left (Desk takes a value when its input loses focus); the row's form is closed.
async function addRow(page, grid, values) {
	await grid.locator(".grid-add-row").click();
	const row = grid.locator(".grid-row.grid-row-open").last();
	for (const [fieldname, value] of Object.entries(values)) {
		if (!value) continue;
		const input = row.locator(`input[data-fieldname="${fieldname}"]`);
		await input.fill(value);
		await input.blur();
	}
	await page.waitForTimeout(400); // Desk's input debounce
	await row.locator(".grid-collapse-row").first().click(); // the row's form closes
	await grid.locator(".grid-row.grid-row-open").waitFor({ state: "detached" });
}

async function save(page) {
	await page.keyboard.press("Control+s");
	await page.waitForFunction(() => !cur_frm.is_dirty() && !cur_frm.is_new(), null, { timeout: 15000 });
}

// What the test made goes, whatever happened, while the browser is still open.
async function cleanUp() {
	await api("DELETE", `/api/resource/GZ Review Stage/${encodeURIComponent(STAGE)}`);
	await api("DELETE", `/api/resource/Cultivation Type/${encodeURIComponent(PROGRAMME)}`);
	await desk.context.close();
}

test("the administrator makes a programme and a review stage in Desk", async () => {
	desk = await deskPage(session.browser);
	try {
		await walk(desk.page);
	} finally {
		await cleanUp();
	}
});

async function walk(page) {

	// 配置 on the workspace: every configuration in one card, each link with its help.
	await page.goto(`${BASE_URL}/app/innovation-platform-cultivation`, { waitUntil: "networkidle" });
	const card = page.locator(".widget.links-widget-box", { hasText: "配置" });
	await card.scrollIntoViewIfNeeded();
	for (const label of ["培育类型", "培育批次", "培育评定规则集", "审核阶段", "自定义表单"]) {
		await assert.doesNotReject(card.getByText(label, { exact: true }).first().waitFor(), label);
	}
	await screenshot(page, "lowcode-1-configuration");

	// A programme: its name, five fields of the indicator form under two headings, its commitment.
	await page.goto(`${BASE_URL}/app/cultivation-type/new`, { waitUntil: "networkidle" });
	await fill(page, "type_name", PROGRAMME);
	const grid = page.locator('.frappe-control[data-fieldname="form_fields"]');
	for (const [index, [fieldname, heading]] of FIELDS.entries()) {
		await addRow(page, grid, { fieldname, group_label: heading });
	}
	const commitment = page.locator(".section-head", { hasText: "真实性承诺" });
	if (await commitment.count()) await commitment.first().click(); // a collapsed section opens
	await fill(page, "commitment_body", "本单位{enterprise_name}承诺：专精特新培育申报材料真实、准确。");
	await screenshot(page, "lowcode-2-programme-filled");
	await save(page);
	await screenshot(page, "lowcode-3-programme-saved");
	const programme = await api("GET", `/api/resource/Cultivation Type/${encodeURIComponent(PROGRAMME)}`);
	assert.equal(programme.status, 200);
	assert.deepEqual(
		programme.body.data.form_fields.map((r) => [r.fieldname, r.group_label || ""]),
		FIELDS
	);
	// Each row names its field in Chinese, as the server found it.
	assert.equal(programme.body.data.form_fields[0].field_label, "发明专利 (件)");

	// A field the indicator form does not have is refused in Desk, in Chinese, naming it.
	await addRow(page, grid, { fieldname: "no_such_field" });
	await page.keyboard.press("Control+s");
	const dialog = page.locator(".modal.show .msgprint");
	await dialog.waitFor();
	assert.match(await dialog.innerText(), /表单字段第 6 行：no_such_field 不是指标填报表单的字段/);
	await screenshot(page, "lowcode-4-programme-refused");
	await page.keyboard.press("Escape");

	// A review stage before 市州初审: its role, its scope, five days to review.
	await page.goto(`${BASE_URL}/app/gz-review-stage/new`, { waitUntil: "networkidle" });
	await fill(page, "stage_name", STAGE);
	await fill(page, "sequence", 5);
	const role = page.locator('.frappe-control[data-fieldname="reviewer_role"] input');
	// Frappe 15's link search finds a translated DocType's records by their Chinese name on the server,
	// then its dropdown filters them by the English name, so neither spelling lists the role: the role
	// is set as Desk's own link control sets it, and read back.
	await role.click();
	await page.evaluate(() => cur_frm.set_value("reviewer_role", "GZ City Reviewer"));
	await page.locator('.frappe-control[data-fieldname="reviewer_role"]', { hasText: "" }).waitFor();
	assert.equal(await page.evaluate(() => cur_frm.doc.reviewer_role), "GZ City Reviewer");
	await fill(page, "scope_level", "区县");
	await fill(page, "pass_action", `区县通过${TAG}`);
	await fill(page, "deadline_days", 5);
	await screenshot(page, "lowcode-5-stage-filled");
	await save(page);
	await screenshot(page, "lowcode-6-stage-saved");

	// The Workflow follows the stage: 受理 leads to it, its pass to 市州初审.
	const workflow = await api("GET", "/api/resource/Workflow/Cultivation Review");
	const route = workflow.body.data.transitions.map((t) => `${t.state} -${t.action}-> ${t.next_state}`);
	assert.ok(route.includes(`已提交 -受理-> ${STAGE}`), route.join("\n"));
	assert.ok(route.includes(`${STAGE} -区县通过${TAG}-> 市州初审`), route.join("\n"));
	// And the workspace has its work queue.
	await page.goto(`${BASE_URL}/app/innovation-platform-cultivation`, { waitUntil: "networkidle" });
	await page.locator(".shortcut-widget-box", { hasText: STAGE }).first().waitFor();
	await screenshot(page, "lowcode-7-queue");
}
