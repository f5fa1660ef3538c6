// Shared helpers of the browser tests: Debian's chromium driven by playwright-core.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";

export const BASE_URL = process.env.BASE_URL || "http://127.0.0.1:8010";
export const OUTPUT_DIR = process.env.E2E_OUTPUT || new URL("./output", import.meta.url).pathname;

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
	const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
	const page = await context.newPage();
	return { browser, context, page };
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
