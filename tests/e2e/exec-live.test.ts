/**
 * The executive view in Chromium: a viewer's exec page on a wall screen and a
 * share-link page on a phone both follow the incident live (status, a
 * stakeholder update, checklist progress) without a reload.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import {
	appendEntry,
	checklistOf,
	newIncidentDoc,
	readChecklist
} from '../../src/lib/doc/incident-doc';
import {
	DESKTOP,
	PHONE,
	launchBrowser,
	newUserContext,
	screenshot,
	signedInContext
} from '../support/browser';
import { signedUp } from '../support/http';
import { startServer, type TestServer } from '../support/server';
import { commandSocket, send } from '../support/socket';
import { waitFor } from '../support/wait';

const WALL = { width: 1920, height: 1080 };
const MIN = 60_000;

let server: TestServer;
let browser: Browser;
let commander: Awaited<ReturnType<typeof signedUp>>;
let viewer: Awaited<ReturnType<typeof signedUp>>;
let incidentId: string;
let shareUrl: string;

beforeAll(async () => {
	server = await startServer();
	browser = await launchBrowser();
	commander = await signedUp(server.url, 'dana');
	viewer = await signedUp(server.url, 'victor');
	await commander.patch(`/api/users/${viewer.username}`, { role: 'viewer' });
	await commander.post('/api/incidents', {
		title: 'Search suggestions slow in APAC',
		severity: 'SEV3',
		summary: 'Autocomplete takes 2–4 s for some users in Singapore and Sydney.',
		startedAt: Date.now() - 95 * MIN
	});
	const res = await commander.post<{ id: string }>('/api/incidents', {
		title: 'Checkout payments failing in the EU',
		severity: 'SEV1',
		summary:
			'About a third of card payments in the EU time out at the payment gateway. Customers see an error and can retry.',
		startedAt: Date.now() - 47 * MIN,
		detectionSource: 'alert'
	});
	incidentId = res.body.id;
	const link = await commander.post<{ url: string }>(`/api/incidents/${incidentId}/share-links`, {
		expiresIn: '24h',
		label: 'CFO'
	});
	shareUrl = link.body.url;
});

afterAll(async () => {
	await browser?.close();
	await server?.dispose();
});

function signedInPage(viewport: { width: number; height: number }, cookie: string) {
	return signedInContext(browser, server.url, cookie, viewport);
}

/** A responder's document client, as a bot or the war room would write checklist progress. */
async function responderDoc() {
	const doc = newIncidentDoc();
	const cookie = commander.cookie;
	class CookieWebSocket extends WebSocket {
		constructor(url: string | URL, protocols?: string | string[]) {
			super(url, protocols, { headers: { cookie } });
		}
	}
	const provider = new WebsocketProvider(`ws://127.0.0.1:${server.port}/yjs`, incidentId, doc, {
		WebSocketPolyfill: CookieWebSocket as unknown as typeof globalThis.WebSocket,
		disableBc: true
	});
	await waitFor(() => provider.synced, { what: 'responder sync' });
	return { doc, provider };
}

const live = (page: Page) => page.getByTestId('live-indicator').getByText('Live').waitFor();

describe('the executive view, live', () => {
	it('follows status, updates and mitigation progress without a reload', async () => {
		const wall = await signedInPage(WALL, viewer.cookie);
		await wall.page.goto(`${server.url}/incidents/${incidentId}/exec`);
		await wall.page.getByRole('heading', { name: 'Checkout payments failing in the EU' }).waitFor();
		await live(wall.page);

		const phone = await newUserContext(browser, PHONE);
		await phone.page.goto(shareUrl);
		await phone.page
			.getByRole('heading', { name: 'Checkout payments failing in the EU' })
			.waitFor();
		await live(phone.page);
		const cookies = await phone.context.cookies();
		expect(cookies).toEqual([]);

		// No edit control anywhere in the page content.
		for (const page of [wall.page, phone.page]) {
			const controls = await page
				.locator('main')
				.locator('form, button, input, textarea, select, [contenteditable]')
				.count();
			expect(controls).toBe(0);
		}

		// The responders work the incident.
		const socket = await commandSocket(server.url, commander.cookie);
		expect(
			await send(socket, 'incident:status', { incidentId, status: 'identified' })
		).toMatchObject({ ok: true });
		const update =
			'We found the cause: a certificate rotation at our EU payment gateway. A fix is rolling out; next update by 15:30 UTC.';
		expect(
			(await commander.post(`/api/incidents/${incidentId}/commands/update:post`, { text: update }))
				.status
		).toBe(200);
		const { doc, provider } = await responderDoc();
		const items = readChecklist(doc);
		expect(items.length).toBeGreaterThan(2);
		doc.transact(() => {
			for (const i of [0, 1, 2]) checklistOf(doc).get(i).set('done', true);
		});
		appendEntry(doc, {
			ts: Date.now(),
			kind: 'note',
			text: 'Gateway vendor confirmed the expired intermediate certificate.',
			author: commander.userId,
			pinned: true
		});

		for (const page of [wall.page, phone.page]) {
			await page.getByTestId('exec-status').getByText('Identified').waitFor();
			await page.getByTestId('exec-last-update').getByText(update).waitFor();
			await page.getByText(`3 of ${items.length} done`).waitFor();
			await page
				.getByText('Gateway vendor confirmed the expired intermediate certificate.')
				.waitFor();
			await page.getByText('Dana set status to Identified').waitFor();
		}
		await screenshot(wall.page, 'exec-incident-wall');
		await screenshot(phone.page, 'exec-share-phone');

		// A laptop-sized window reads well too.
		await wall.page.setViewportSize(DESKTOP);
		await screenshot(wall.page, 'exec-incident-desktop');

		provider.destroy();
		socket.close();
		await wall.context.close();
		await phone.context.close();
	});

	it('shows every active incident on the board, most severe first', async () => {
		const { context, page } = await signedInPage(WALL, viewer.cookie);
		await page.goto(`${server.url}/exec`);
		await live(page);
		const titles = await page.getByTestId('board-entry').locator('h2').allTextContents();
		expect(titles.map((t) => t.trim())).toEqual([
			'Checkout payments failing in the EU',
			'Search suggestions slow in APAC'
		]);
		await screenshot(page, 'exec-board-wall');

		// A new incident appears without a reload.
		await commander.post('/api/incidents', { title: 'Login emails delayed', severity: 'SEV2' });
		await page.getByRole('link', { name: 'Login emails delayed' }).waitFor();
		await page.setViewportSize(PHONE);
		await screenshot(page, 'exec-board-phone');
		await context.close();
	});

	it('warns when the next stakeholder update is overdue', async () => {
		const { context, page } = await signedInPage(WALL, viewer.cookie);
		// The browser's clock runs 45 minutes ahead: the SEV1 update (every 30 min) is now late.
		await context.clock.setSystemTime(Date.now() + 45 * MIN);
		await page.goto(`${server.url}/incidents/${incidentId}/exec`);
		await live(page);
		await page
			.getByTestId('exec-next-update')
			.getByText(/Overdue by \d+m/)
			.waitFor();
		expect(await page.getByTestId('exec-next-update').textContent()).toMatch(/was due/);
		await screenshot(page, 'exec-incident-overdue-wall');
		await context.close();
	});

	it('a revoked share link stops updating and says so', async () => {
		const link = await commander.post<{ url: string; link: { id: string } }>(
			`/api/incidents/${incidentId}/share-links`,
			{ expiresIn: '1h', label: 'temporary' }
		);
		const { context, page } = await newUserContext(browser, PHONE);
		await page.goto(link.body.url);
		await live(page);
		await commander.request(
			'DELETE',
			`/api/incidents/${incidentId}/share-links/${link.body.link.id}`
		);
		await page.getByRole('alert').getByText('This link has been revoked.').waitFor();
		await page.getByTestId('live-indicator').getByText('Not updating').waitFor();
		await page.reload();
		await page.getByRole('heading', { name: 'This link has ended' }).waitFor();
		expect(await page.getByText('This link has been revoked.').count()).toBe(1);
		await screenshot(page, 'exec-share-revoked-phone');
		await context.close();
	});

	it('lets the commander create and revoke links in the incident settings', async () => {
		const { context, page } = await signedInPage(DESKTOP, commander.cookie);
		await page.goto(`${server.url}/incidents/${incidentId}/settings`);
		await page.getByLabel('7 days').check();
		await page.getByLabel(/Who it is for/).fill('Board of directors');
		await page.getByRole('button', { name: 'Create link' }).click();
		const url = await page.getByTestId('share-url').inputValue();
		expect(url).toMatch(new RegExp(`^${server.url}/share/[a-z0-9]+\\.[a-z0-9]+$`));
		await page.reload();
		await page.getByRole('cell', { name: 'Board of directors' }).waitFor();
		await screenshot(page, 'exec-settings-desktop');
		await context.close();
	});
});
