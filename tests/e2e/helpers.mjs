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
