/**
 * A storage failure that really happens, as root: the database turns
 * read-only under the running server (as a full disk or a failed-over
 * primary does). The writing client is told (closed with 1011), nothing is
 * broadcast, and once storage recovers the client's own reconnect resends
 * the update and it is stored. Nothing is silently dropped.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { appendEntry, readTimeline } from '../../src/lib/doc/incident-doc';
import { signedUp } from '../support/http';
import { pgAdmin, tempDatabase } from '../support/pg';
import { startServer, type TestServer } from '../support/server';
import { stockClient, synced } from '../support/yjs-client';
import { waitFor } from '../support/wait';

const database = tempDatabase('warroom_storage');
const dbName = database.name;
const testUrl = database.url;

let server: TestServer;

/** Sets read-only for new sessions of the test database and ends the server's current ones. */
async function setReadOnly(on: boolean): Promise<void> {
	await pgAdmin(async (c) => {
		await c.query(
			on
				? `ALTER DATABASE ${dbName} SET default_transaction_read_only = on`
				: `ALTER DATABASE ${dbName} RESET default_transaction_read_only`
		);
		await c.query(
			`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
			[dbName]
		);
	});
}

beforeAll(async () => {
	await database.create();
	server = await startServer({ env: { DATABASE_URL: testUrl } });
});

afterAll(async () => {
	await server?.dispose();
	await database.drop();
});

const texts = (c: ReturnType<typeof stockClient>) => readTimeline(c.doc).map((e) => e.text);

it('a failed write closes the writer with 1011, and its provider resends once storage is back', async () => {
	const alice = await signedUp(server.url, 'storagealice');
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

	await setReadOnly(true);
	try {
		appendEntry(writer.doc, { ts: 2, kind: 'note', text: 'while read-only', author: alice.userId });
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
		expect(texts(watcher)).not.toContain('while read-only');
	} finally {
		await setReadOnly(false);
	}

	// The writer's provider reconnects on its own; its sync carries the unstored entry.
	await waitFor(() => texts(watcher).includes('while read-only'), {
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
	expect(texts(fresh)).toEqual(expect.arrayContaining(['stored fine', 'while read-only']));
	fresh.destroy();
	expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
}, 90_000);
