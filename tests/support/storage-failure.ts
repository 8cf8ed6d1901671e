/**
 * The storage-failure scenario both databases must pass: a client writes
 * while appends fail; it is told (closed with 1011), nothing is broadcast;
 * once storage recovers, its provider's own reconnect resends the update and
 * it is stored (checked by a fresh client after a restart).
 */
import { expect } from 'vitest';
import { appendEntry, readTimeline } from '../../src/lib/doc/incident-doc';
import { signedUp } from './http';
import type { TestServer } from './server';
import { stockClient, synced, type StockClient } from './yjs-client';
import { waitFor } from './wait';

const texts = (c: StockClient) => readTimeline(c.doc).map((e) => e.text);

export async function failedWriteIsResent(
	server: TestServer,
	storage: { fail(): Promise<void> | void; recover(): Promise<void> | void },
	username: string
): Promise<void> {
	const alice = await signedUp(server.url, username);
	const incident = await alice.post<{ id: string }>('/api/incidents', {
		title: 'Disk trouble',
		severity: 'SEV2'
	});
	const incidentId = incident.body.id;
	const writer = stockClient(server.port, incidentId, alice.cookie, { maxBackoffTime: 500 });
	const watcher = stockClient(server.port, incidentId, alice.cookie, { maxBackoffTime: 500 });
	await Promise.all([synced(writer), synced(watcher)]);
	appendEntry(writer.doc, { ts: 1, kind: 'note', text: 'stored fine', author: alice.userId });
	await waitFor(() => texts(watcher).includes('stored fine'), { what: 'first entry' });

	await storage.fail();
	try {
		appendEntry(writer.doc, { ts: 2, kind: 'note', text: 'while failing', author: alice.userId });
		await waitFor(() => writer.closes.includes(1011), {
			what: 'writer closed with 1011',
			timeoutMs: 20_000
		});
		// The log line travels through a pipe and may arrive after the close frame.
		await waitFor(() => server.output().includes('"event":"yjs.persist_failed"'), {
			what: 'persist_failed logged'
		});
		expect(writer.closes[0]).toBe(1011);
		expect(writer.closeReasons[0]).toBe('storage write failed; reconnect to resend');
		// Never broadcast: the watcher does not have it.
		expect(texts(watcher)).not.toContain('while failing');
	} finally {
		await storage.recover();
	}

	// The writer's provider reconnects on its own; its sync carries the unstored entry.
	await waitFor(() => texts(watcher).includes('while failing'), {
		what: 'resent and broadcast after recovery',
		timeoutMs: 30_000
	});
	expect(watcher.closes).toEqual([]);
	writer.destroy();
	watcher.destroy();

	// Stored: a fresh client after a restart sees both.
	await server.restart();
	const fresh = stockClient(server.port, incidentId, alice.cookie);
	await synced(fresh);
	expect(texts(fresh)).toEqual(expect.arrayContaining(['stored fine', 'while failing']));
	fresh.destroy();
	expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
}
