/** A new team's first minutes: sign up, declare an incident, find it in the list, sign out and back in. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startServer, type TestServer } from '../support/server';
import { DESKTOP, PHONE, launchBrowser, newUserContext, screenshot } from '../support/browser';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
	server = await startServer();
	browser = await launchBrowser();
});
afterAll(async () => {
	await browser?.close();
	await server?.dispose();
});

describe('foundation in the browser', () => {
	it('signs up, declares, lists, signs out and back in', async () => {
		const { context, page } = await newUserContext(browser, DESKTOP);
		await page.goto(`${server.url}/`);
		// Signed out: sent to sign in.
		await page.waitForURL(/\/login/);
		await screenshot(page, 'foundation-login-desktop');
		await page.goto(`${server.url}/signup`);
		await page.getByLabel('Username').fill('maya');
		await page.getByLabel(/Display name/).fill('Maya Patel');
		await page.getByLabel('Password').fill('correct horse battery');
		await page.getByRole('button', { name: 'Create account' }).click();
		await page.getByText('Maya Patel').first().waitFor();

		await page.getByRole('link', { name: 'Declare incident' }).first().click();
		await page.getByLabel('Title').fill('Search results empty for EU customers');
		await page.locator('label[for="severity-SEV2"]').click();
		await screenshot(page, 'foundation-declare-desktop');
		await page.getByRole('button', { name: 'Declare incident' }).click();
		await page.waitForURL(/\/incidents\/[A-Za-z0-9_-]+$/);
		await page.getByRole('heading', { name: 'Search results empty for EU customers' }).waitFor();

		await page.goto(`${server.url}/`);
		const row = page.getByRole('link', { name: 'Search results empty for EU customers' });
		await row.waitFor();
		expect(await row.count()).toBe(1);
		await screenshot(page, 'foundation-list-desktop');

		await page.getByRole('button', { name: 'Sign out' }).click();
		await page.waitForURL(/\/login/);
		await page.getByLabel('Username').fill('maya');
		await page.getByLabel('Password').fill('correct horse battery');
		await page.getByRole('button', { name: 'Sign in' }).click();
		await page.getByRole('link', { name: 'Search results empty for EU customers' }).waitFor();
		expect(page.url()).toBe(`${server.url}/`);
		await context.close();
	});

	it('shows a named field error when declaring without a title, keeping what was typed', async () => {
		const { context, page } = await newUserContext(browser, PHONE);
		await page.goto(`${server.url}/login`);
		await page.getByLabel('Username').fill('maya');
		await page.getByLabel('Password').fill('correct horse battery');
		await page.getByRole('button', { name: 'Sign in' }).click();
		await page.waitForURL(`${server.url}/`);
		await screenshot(page, 'foundation-list-phone');
		await page.goto(`${server.url}/incidents/new`);
		await page.locator('label[for="severity-SEV1"]').click();
		await page.getByLabel(/Impact summary/).fill('Logins failing');
		await page.getByRole('button', { name: 'Declare incident' }).click();
		const alert = page.getByRole('alert');
		await alert.waitFor();
		expect(await alert.textContent()).toMatch(/title/i);
		expect(await page.getByLabel(/Impact summary/).inputValue()).toBe('Logins failing');
		await screenshot(page, 'foundation-declare-error-phone');
		await context.close();
	});
});
