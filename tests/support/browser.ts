/** Debian's Chromium driven by playwright-core, with the flags this network-less machine needs. */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startServer, type TestServer } from './server';

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

/** A new context carrying the session `cookie` (as returned by the API helpers) for `baseUrl`. */
export async function signedInContext(
	browser: Browser,
	baseUrl: string,
	cookie: string,
	viewport = DESKTOP
): Promise<{ context: BrowserContext; page: Page }> {
	const { context, page } = await newUserContext(browser, viewport);
	const [name, value] = cookie.split('=');
	await context.addCookies([{ name, value, url: baseUrl }]);
	return { context, page };
}

/**
 * A new context signed in with `cookie`, opened on `baseUrl + path`, and
 * waited on until the page says it is live.
 */
export async function openLiveAs(
	browser: Browser,
	baseUrl: string,
	cookie: string,
	path: string,
	viewport = DESKTOP
): Promise<{ context: BrowserContext; page: Page }> {
	const { context, page } = await signedInContext(browser, baseUrl, cookie, viewport);
	await page.goto(baseUrl + path);
	await page.getByTestId('connection').getByText('Live').waitFor({ timeout: 15_000 });
	return { context, page };
}

/**
 * A test file's server and browser, started before its tests and closed after
 * them, with every page it opened. Read `server` and `browser` inside tests.
 */
export function liveSuite() {
	let server: TestServer;
	let browser: Browser;
	const contexts: BrowserContext[] = [];
	beforeAll(async () => {
		server = await startServer();
		browser = await launchBrowser();
	});
	afterAll(async () => {
		for (const c of contexts) await c.close();
		await browser?.close();
		await server?.dispose();
	});
	return {
		get server() {
			return server;
		},
		/** A page signed in as `cookie` on `path`, open once it is live; closed after the file. */
		async openAs(cookie: string, path: string, viewport = DESKTOP): Promise<Page> {
			const { context, page } = await openLiveAs(browser, server.url, cookie, path, viewport);
			contexts.push(context);
			return page;
		},
		/** The same without waiting for a live connection (pages that have none). */
		async open(cookie: string, path: string, viewport = DESKTOP): Promise<Page> {
			const { context, page } = await signedInContext(browser, server.url, cookie, viewport);
			contexts.push(context);
			await page.goto(server.url + path);
			return page;
		}
	};
}
