/**
 * A storage failure on the embedded SQLite database, through the real server
 * and its log writer thread: appends start failing under the running server
 * (a trigger raising an error stands in for a full or failing disk). The
 * writing client is told (closed with 1011), nothing is broadcast, and once
 * storage recovers the client's own reconnect resends the update and it is
 * stored. Nothing is silently dropped.
 */
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { appendEntry, readTimeline } from '../../src/lib/doc/incident-doc';
import { signedUp } from '../support/http';
import { startServer, type TestServer } from '../support/server';
import { stockClient, synced } from '../support/yjs-client';
import { waitFor } from '../support/wait';

let server: TestServer;

beforeAll(async () => {
	server = await startServer();
});

afterAll(async () => {
	await server?.dispose();
});

/** Makes every append to the update log fail, or work again. */
function failAppends(on: boolean): void {
	const db = new SQLite(path.join(server.dataDir, 'warroom.sqlite'));
	db.pragma('busy_timeout = 5000');
	try {
		db.exec(
			on
				? `CREATE TRIGGER test_fail_appends BEFORE INSERT ON yjs_updates
				   BEGIN SELECT RAISE(ABORT, 'simulated disk failure'); END`
				: 'DROP TRIGGER IF EXISTS test_fail_appends'
		);
	} finally {
		db.close();
	}
}

const texts = (c: ReturnType<typeof stockClient>) => readTimeline(c.doc).map((e) => e.text);

it('a failed append closes the writer with 1011, and its provider resends once storage is back', async () => {
	const alice = await signedUp(server.url, 'diskalice');
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

	failAppends(true);
	try {
		appendEntry(writer.doc, { ts: 2, kind: 'note', text: 'while failing', author: alice.userId });
		await waitFor(() => writer.closes.includes(1011), { what: 'writer closed with 1011' });
		await waitFor(() => server.output().includes('"event":"yjs.persist_failed"'), {
			what: 'persist_failed logged'
		});
		expect(writer.closeReasons[0]).toBe('storage write failed; reconnect to resend');
		expect(texts(watcher)).not.toContain('while failing');
	} finally {
		failAppends(false);
	}

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
}, 90_000);
