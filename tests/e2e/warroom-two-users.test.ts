/**
 * Two responders in two browsers on one war room: a note, a checklist tick
 * and a role handover made by one appear for the other without a reload.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ApiClient, signedUp } from '../support/http';
import { PHONE, liveSuite, screenshot } from '../support/browser';

const suite = liveSuite();
const { openAs } = suite;

/** Waits for what the other user should see and reports how long it took (logged, never asserted). */
async function seen(
	page: Page,
	what: Parameters<Page['getByText']>[0],
	label: string
): Promise<void> {
	const started = Date.now();
	await page.getByText(what).first().waitFor({ timeout: 10_000 });
	console.log(`${label}: visible to the other user after ${Date.now() - started} ms`);
}

describe('the war room with two responders', () => {
	it('shares notes, checklist ticks and a command handover live', async () => {
		// The first account is an admin (who may always command); Alice and Bob are plain responders.
		await signedUp(suite.server.url, 'opsadmin');
		const alice = await signedUp(suite.server.url, 'alice');
		const bob = await signedUp(suite.server.url, 'bob');
		const created = await alice.post<{ id: string }>('/api/incidents', {
			title: 'Checkout API returning 502s',
			severity: 'SEV1',
			summary: 'About 30% of checkout requests fail in eu-west.'
		});
		const path = `/incidents/${created.body.id}`;
		const a = await openAs(alice.cookie, path);
		const b = await openAs(bob.cookie, path, PHONE);

		// A note, posted with Enter.
		await a.getByLabel('Add to the timeline').fill('Error rate on checkout-api jumped to 30%');
		await a.getByLabel('Add to the timeline').press('Enter');
		await seen(b, 'Error rate on checkout-api jumped to 30%', 'note');

		// Both type at the same moment: both entries survive.
		await Promise.all([
			a.getByLabel('Add to the timeline').fill('Paged the payments on-call'),
			b.getByLabel('Add to the timeline').fill('Rolled back deploy 4512 on eu-west')
		]);
		await Promise.all([
			a.getByLabel('Add to the timeline').press('Enter'),
			b.getByLabel('Add to the timeline').press('Enter')
		]);
		await seen(a, 'Rolled back deploy 4512 on eu-west', 'concurrent note');
		await seen(b, 'Paged the payments on-call', 'concurrent note');

		// A checklist tick, echoed as a system entry.
		const first = a.getByRole('checkbox').first();
		await first.check();
		await seen(b, /^Checklist: ".*" done$/, 'checklist tick');
		expect(await b.getByRole('checkbox').first().isChecked()).toBe(true);

		// Handover of command: brief from Alice, acknowledgement from Bob, then command moves.
		await a.getByRole('button', { name: 'Hand over command…' }).click();
		await a.getByLabel('Hand command to').selectOption({ label: 'Bob' });
		await a
			.getByLabel('Handover brief')
			.fill('Rollback in flight. Next decision: fail over payments at 14:30.');
		await a.getByRole('button', { name: 'Offer command' }).click();
		await seen(
			b,
			'Rollback in flight. Next decision: fail over payments at 14:30.',
			'handover brief'
		);
		await b.getByLabel('Your acknowledgement').fill('Got it, I have command.');
		await b.getByRole('button', { name: 'Accept command' }).click();
		await seen(a, /Bob accepted command/, 'handover accepted');
		// The timeline entry comes over Yjs, the roles over Socket.IO: either may land first.
		await a.getByTestId('seat-commander').filter({ hasText: 'Bob' }).waitFor();
		// Alice lost the status controls; Bob has them.
		await b.getByRole('button', { name: 'Mark identified' }).waitFor();
		expect(await a.getByRole('button', { name: 'Mark identified' }).count()).toBe(0);

		await screenshot(a, 'warroom-desktop');
		await screenshot(b, 'warroom-phone');
	});
});

describe('the war room for a viewer', () => {
	it('follows along live but shows no edit control', async () => {
		const admin = new ApiClient(suite.server.url);
		await admin.post('/api/auth/login', {
			username: 'opsadmin',
			password: 'correct horse battery'
		});
		const carol = await signedUp(suite.server.url, 'carol');
		await admin.patch('/api/users/carol', { role: 'viewer' });
		const created = await admin.post<{ id: string }>('/api/incidents', {
			title: 'Search index lagging',
			severity: 'SEV3'
		});
		const page = await openAs(carol.cookie, `/incidents/${created.body.id}`, PHONE);
		await page.getByText('Read-only: you can follow along but not change anything.').waitFor();
		for (const control of [
			'Post',
			'Add',
			'Send update',
			'Take it',
			'Join as SME',
			'Hand over command…'
		]) {
			expect(await page.getByRole('button', { name: control, exact: true }).count(), control).toBe(
				0
			);
		}
		expect(await page.getByLabel('Add to the timeline').count()).toBe(0);
		const boxes = page.getByRole('checkbox');
		expect(await boxes.count()).toBeGreaterThan(0);
		for (const box of await boxes.all()) expect(await box.isDisabled()).toBe(true);
		// Live: a status change by the commander shows up without a reload.
		await admin.post(`/api/incidents/${created.body.id}/commands/incident:status`, {
			status: 'identified'
		});
		await page.getByText(/set status to Identified/).waitFor();
		// She counts herself among those here.
		expect(
			await page
				.getByRole('region', { name: /Here now/ })
				.getByText('Carol')
				.count()
		).toBe(1);
		await screenshot(page, 'warroom-viewer-phone');
	});
});
