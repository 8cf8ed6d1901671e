/** Debian's Chromium driven by playwright-core, with the flags this network-less machine needs. */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const SCREENSHOT_DIR = path.resolve(import.meta.dirname, '..', '..', 'screenshots');

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

export function launchBrowser(): Promise<Browser> {
	return chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--disable-quic',
			'--no-first-run'
		]
	});
}

export async function newUserContext(
	browser: Browser,
	viewport = DESKTOP
): Promise<{ context: BrowserContext; page: Page }> {
	const context = await browser.newContext({
		viewport,
		deviceScaleFactor: 1,
		isMobile: viewport.width < 600,
		hasTouch: viewport.width < 600
	});
	const page = await context.newPage();
	return { context, page };
}

export async function screenshot(page: Page, name: string): Promise<string> {
	mkdirSync(SCREENSHOT_DIR, { recursive: true });
	const file = path.join(SCREENSHOT_DIR, `${name}.png`);
	await page.screenshot({ path: file, fullPage: true });
	return file;
}

/**
 * A new context signed in with `cookie` (as returned by the API helpers),
 * opened on `baseUrl + path`, and waited on until the page says it is live.
 */
export async function openLiveAs(
	browser: Browser,
	baseUrl: string,
	cookie: string,
	path: string,
	viewport = DESKTOP
): Promise<{ context: BrowserContext; page: Page }> {
	const { context, page } = await newUserContext(browser, viewport);
	const [name, value] = cookie.split('=');
	await context.addCookies([{ name, value, url: baseUrl }]);
	await page.goto(baseUrl + path);
	await page.getByTestId('connection').getByText('Live').waitFor({ timeout: 15_000 });
	return { context, page };
}
