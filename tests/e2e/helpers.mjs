// Shared helpers of the browser tests: Debian's chromium driven by playwright-core.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before } from "node:test";
import { chromium } from "playwright-core";

export const BASE_URL = process.env.BASE_URL || "http://127.0.0.1:8010";
// A real one-page PDF (a business licence scan): the server reads every uploaded PDF.
export const LICENCE_PDF = Buffer.from(
	"JVBERi0xLjMKJeLjz9MKMSAwIG9iago8PAovVHlwZSAvUGFnZXMKL0NvdW50IDEKL0tpZHMgWyA0IDAgUiBdCj4+CmVuZG9iagoyIDAgb2JqCjw8Ci9Qcm9kdWNlciAocHlwZGYpCi9UaXRsZSAoZTJlXDA0MGJ1c2luZXNzXDA0MGxpY2VuY2UpCj4+CmVuZG9iagozIDAgb2JqCjw8Ci9UeXBlIC9DYXRhbG9nCi9QYWdlcyAxIDAgUgo+PgplbmRvYmoKNCAwIG9iago8PAovVHlwZSAvUGFnZQovUmVzb3VyY2VzIDw8Cj4+Ci9NZWRpYUJveCBbIDAuMCAwLjAgNzIgNzIgXQovUGFyZW50IDEgMCBSCj4+CmVuZG9iagp4cmVmCjAgNQowMDAwMDAwMDAwIDY1NTM1IGYgCjAwMDAwMDAwMTUgMDAwMDAgbiAKMDAwMDAwMDA3NCAwMDAwMCBuIAowMDAwMDAwMTQ5IDAwMDAwIG4gCjAwMDAwMDAxOTggMDAwMDAgbiAKdHJhaWxlcgo8PAovU2l6ZSA1Ci9Sb290IDMgMCBSCi9JbmZvIDIgMCBSCj4+CnN0YXJ0eHJlZgoyOTAKJSVFT0YK",
	"base64",
);
export const OUTPUT_DIR = process.env.E2E_OUTPUT || new URL("./output", import.meta.url).pathname;
// The data the tests start from (scripts/test.sh makes it with cultivation.tests.utils.e2e_fixtures).
export const fixtures = JSON.parse(process.env.E2E_FIXTURES || "{}");
const VIEWPORT = { width: 1280, height: 900 };

// Flags that keep chromium from calling out of this closed network (see README).
const CHROMIUM_ARGS = [
	"--headless=new",
	"--no-sandbox",
	"--disable-gpu",
	"--disable-quic",
	"--no-first-run",
	"--disable-background-networking",
	"--disable-component-update",
	"--disable-sync",
];

export async function launch({ locale = "zh-CN" } = {}) {
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
		args: CHROMIUM_ARGS,
	});
	const context = await browser.newContext({ locale, viewport: VIEWPORT });
	const page = await context.newPage();
	return { browser, context, page };
}

// One browser for a test file: launched before its tests, closed after them.
export function browserSession(options) {
	const session = {};
	before(async () => Object.assign(session, await launch(options)));
	after(async () => {
		await session.browser?.close();
	});
	return session;
}

// Administrator logged in to Desk, in a browser context of its own (close it when done).
export async function deskPage(browser) {
	const context = await browser.newContext({ locale: "zh-CN", viewport: VIEWPORT });
	const page = await context.newPage();
	await login(page, "Administrator", process.env.E2E_ADMIN_PASSWORD || "admin");
	await page.waitForURL(/\/app/, { waitUntil: "domcontentloaded" });
	return { context, page };
}

// The page does not scroll sideways (what may be wider scrolls inside itself, .gz-scroll-x).
export async function assertNoSidewaysScroll(page, where) {
	const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
	if (scroll > width) throw new Error(`${where}: the page scrolls sideways (${scroll} > ${width} px)`);
}

export async function screenshot(page, name) {
	mkdirSync(OUTPUT_DIR, { recursive: true });
	const path = join(OUTPUT_DIR, `${name}.png`);
	await page.screenshot({ path, fullPage: true });
	return path;
}

// Test-mode hooks of the site (they exist only when the site has allow_tests set).
async function testHook(page, method, data) {
	const response = await page.request.post(`${BASE_URL}/api/method/gz_innovation.accounts.api.${method}`, {
		data,
	});
	if (!response.ok()) throw new Error(`${method}: HTTP ${response.status()}`);
	return (await response.json()).message;
}

// Fill the captcha of the form on the page with its answer.
export async function solveCaptcha(page) {
	const tokenInput = page.locator('[name="captcha_token"]');
	await page.waitForFunction(() => document.querySelector('[name="captcha_token"]')?.value);
	const token = await tokenInput.inputValue();
	const answer = await testHook(page, "test_captcha_answer", { token });
	await page.fill('[name="captcha"]', answer);
}

export async function lastSmsCode(page, mobile) {
	const message = await testHook(page, "test_last_sms", { mobile });
	return message && message.match(/\d{6}/)[0];
}

export function randomMobile() {
	return "137" + String(Math.floor(Math.random() * 1e8)).padStart(8, "0");
}

export async function login(page, identifier, password) {
	await page.goto(`${BASE_URL}/login`);
	await page.fill('[name="identifier"]', identifier);
	await page.fill('[name="password"]', password);
	await solveCaptcha(page);
	await page.click(".gz-submit");
}

// 提交申请 / 重新提交 and the page's own confirmation (gz.confirm): OK.
export async function submitApplication(page) {
	await page.click(".gz-submit-sub");
	const dialog = page.locator("dialog.gz-dialog[open]");
	await dialog.waitFor();
	await dialog.locator(".gz-dialog-ok").click();
}

// A Workflow action from Desk's 操作 menu on an open form.
export async function deskAction(page, action) {
	await page.locator("button", { hasText: "操作" }).first().click();
	await page.locator(".dropdown-menu.show a, .dropdown-menu.show .dropdown-item", { hasText: action }).first().click();
}

// 退回修改 in Desk: the action asks for its reason in a dialog of its own (required), which returns the
// submission with the reason as its review comment.
export async function deskReturn(page, reason) {
	await deskAction(page, "退回修改");
	const dialog = page.locator(".modal.show", { hasText: "退回修改原因" });
	await dialog.waitFor();
	// The reason is required: the dialog's own button refuses an empty one.
	await dialog.locator(".btn-primary", { hasText: "退回修改" }).click();
	const missing = page.locator(".modal.show", { has: page.locator(".msgprint", { hasText: "退回修改原因" }) });
	await missing.waitFor();
	await missing.locator(".btn-modal-close").click();
	await missing.waitFor({ state: "hidden" });
	await dialog.locator("textarea").fill(reason);
	await dialog.locator(".btn-primary", { hasText: "退回修改" }).click();
	await dialog.waitFor({ state: "hidden" });
}

// 企业认证 step 1 as the manual has it: the name is checked as it is typed; a new enterprise then
// asks for its 统一社会信用代码.
export async function certifyStepOne(page, name, uscc) {
	await page.fill('[name="enterprise_name"]', name);
	await page.locator(".gz-name-check .gz-name-new").waitFor();
	await page.fill('[name="uscc"]', uscc);
	await page.click(".gz-next");
}

// A valid 统一社会信用代码 (GB 32100-2015 check character) for a Guizhou enterprise.
export function randomUscc() {
	const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	let body = "91520100";
	for (let i = 0; i < 9; i++) body += alphabet[Math.floor(Math.random() * alphabet.length)];
	let sum = 0;
	for (let i = 0; i < 17; i++) sum += alphabet.indexOf(body[i]) * (3 ** i % 31);
	return body + alphabet[(31 - (sum % 31)) % 31];
}

// Register a personal user through the registration page; returns its credentials.
export async function registerThroughPage(page, options = {}) {
	await page.goto(`${BASE_URL}/register`);
	return fillRegistration(page, options);
}

// Fill the registration page that is open and register; returns the credentials.
export async function fillRegistration(page, { fullName = "端到端用户" } = {}) {
	const mobile = randomMobile();
	const username = "e2e_" + Date.now().toString(36) + Math.floor(Math.random() * 1000);
	const password = "E2ePass1234";
	await page.fill('[name="mobile"]', mobile);
	await solveCaptcha(page);
	await page.click(".gz-send-sms");
	await page.locator(".gz-form-note", { hasText: "验证码已发送" }).waitFor();
	await page.fill('[name="sms_code"]', await lastSmsCode(page, mobile));
	await page.fill('[name="username"]', username);
	await page.fill('[name="full_name"]', fullName);
	await page.fill('[name="password"]', password);
	await page.fill('[name="confirm_password"]', password);
	await page.check('[name="consent"]');
	await page.click(".gz-submit");
	await page.waitForURL(/\/account-center/);
	return { mobile, username, password };
}
