/**
 * The same migrations, queries and realtime persistence on PostgreSQL: a
 * fresh database per run on the server named by TEST_DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { tempDatabase } from '../support/pg';
import { startServer, type TestServer } from '../support/server';
import { signedUp, type ApiClient } from '../support/http';
import { appendEntry, readTimeline } from '../../src/lib/doc/incident-doc';
import { waitFor } from '../support/wait';

const database = tempDatabase('warroom_test');
const testUrl = database.url;

let server: TestServer;
let alice: ApiClient & { userId: string };

beforeAll(async () => {
	await database.create();
	server = await startServer({ env: { DATABASE_URL: testUrl } });
	alice = await signedUp(server.url, 'alice');
});

afterAll(async () => {
	await server?.dispose();
	await database.drop();
});

function provider(incidentId: string, cookie: string) {
	const doc = new Y.Doc();
	class CookieWebSocket extends WebSocket {
		constructor(url: string, protocols?: string | string[]) {
			super(url, protocols, { headers: { cookie } });
		}
	}
	const p = new WebsocketProvider(`ws://127.0.0.1:${server.port}/yjs`, incidentId, doc, {
		WebSocketPolyfill: CookieWebSocket as unknown as typeof globalThis.WebSocket,
		disableBc: true
	});
	return { doc, p };
}

function synced(p: WebsocketProvider): Promise<void> {
	return p.synced ? Promise.resolve() : new Promise((resolve) => p.once('sync', () => resolve()));
}

describe('on PostgreSQL', () => {
	it('reports the postgres dialect and passes readiness', async () => {
		expect(server.output()).toContain('"database":"postgres"');
		expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
	});

	it('runs the incident API: declare, list, command, read back', async () => {
		const created = await alice.post<{ id: string; startedAt: number }>('/api/incidents', {
			title: 'PG incident',
			severity: 'SEV2',
			startedAt: Date.now() - 600_000
		});
		expect(created.status).toBe(201);
		const status = await alice.post<{ status: string; mitigatedAt: number }>(
			`/api/incidents/${created.body.id}/commands/incident:status`,
			{ status: 'mitigated' }
		);
		expect(status.status).toBe(200);
		expect(status.body.status).toBe('mitigated');
		expect(typeof status.body.mitigatedAt).toBe('number');
		const list = await alice.get<{ incidents: { id: string }[] }>('/api/incidents');
		expect(list.body.incidents.map((i) => i.id)).toContain(created.body.id);
	});

	it('persists the incident document across a restart', async () => {
		const created = await alice.post<{ id: string }>('/api/incidents', {
			title: 'PG doc',
			severity: 'SEV3'
		});
		const a = provider(created.body.id, alice.cookie);
		await synced(a.p);
		for (let i = 0; i < 20; i++)
			appendEntry(a.doc, {
				ts: Date.now() + i,
				kind: 'note',
				text: `pg note ${i}`,
				author: alice.userId
			});
		// A second client seeing all 20 means the server accepted (and stored) them.
		const watcher = provider(created.body.id, alice.cookie);
		const notesIn = (doc: Y.Doc) => readTimeline(doc).filter((e) => e.kind === 'note').length;
		await waitFor(() => notesIn(watcher.doc) === 20, { what: '20 notes at a second client' });
		watcher.p.destroy();
		a.p.destroy();
		await server.restart();
		const b = provider(created.body.id, alice.cookie);
		await synced(b.p);
		const notes = readTimeline(b.doc)
			.filter((e) => e.kind === 'note')
			.map((e) => e.text);
		expect(notes).toHaveLength(20);
		b.p.destroy();
	});
});
