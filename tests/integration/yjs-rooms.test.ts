/**
 * The Yjs room server against the stock y-websocket client: a real ws server
 * on a random port handing sockets to a real RoomRegistry over a real SQLite
 * file. (Auth lives in the HTTP upgrade handler, tested elsewhere; here the
 * test server reads who is connecting from the query string.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import {
	addChecklistItem,
	appendEntry,
	newIncidentDoc,
	postmortemOf,
	readChecklist,
	readTimeline,
	setChecklistDone,
	SYSTEM_AUTHOR
} from '../../src/lib/doc/incident-doc';
import {
	migrateToLatest,
	openDatabase,
	type DatabaseHandle
} from '../../src/lib/server/db/connect';
import { MAX_YJS_FRAME_BYTES } from '../../server/limits';
import { RoomStore } from '../../server/room-store';
import { RoomRegistry, type RoomRegistryOptions } from '../../server/rooms';
import { storedLog } from '../support/stored-log';

process.env.LOG_LEVEL ??= 'error';

let dataDir: string;
let sqliteFile: string;
let handle: DatabaseHandle;
let server: TestRoomServer;
const cleanups: (() => unknown)[] = [];

beforeAll(async () => {
	dataDir = mkdtempSync(path.join(tmpdir(), 'warroom-yjs-'));
	sqliteFile = path.join(dataDir, 'warroom.sqlite');
	handle = openDatabase({ sqliteFile });
	await migrateToLatest(handle);
	server = await startRoomServer(handle, { unloadAfterMs: 60_000 });
});

afterEach(async () => {
	while (cleanups.length) await cleanups.pop()!();
});

afterAll(async () => {
	await server?.close();
	await handle?.close();
	rmSync(dataDir, { recursive: true, force: true });
});

interface TestRoomServer {
	registry: RoomRegistry;
	url: string;
	close(): Promise<void>;
}

async function startRoomServer(
	db: DatabaseHandle,
	options: Omit<RoomRegistryOptions, 'db'> = {}
): Promise<TestRoomServer> {
	const registry = new RoomRegistry({ db: db.db, ...options });
	const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: MAX_YJS_FRAME_BYTES });
	await new Promise((resolve) => wss.once('listening', resolve));
	wss.on('connection', (ws, req) => {
		const url = new URL(req.url ?? '/', 'http://localhost');
		const incidentId = decodeURIComponent(url.pathname.replace(/^\/yjs\//, ''));
		const userId = url.searchParams.get('user') ?? 'anonymous';
		const readOnly = url.searchParams.get('readonly') === '1';
		registry.connect(ws, { incidentId, userId, userName: userId, readOnly });
	});
	const { port } = wss.address() as AddressInfo;
	return {
		registry,
		url: `ws://127.0.0.1:${port}/yjs`,
		async close() {
			await registry.close();
			for (const ws of wss.clients) ws.terminate();
			await new Promise((resolve) => wss.close(resolve));
		}
	};
}

let incidentCounter = 0;
const newIncident = () => `inc-${Date.now().toString(36)}-${++incidentCounter}`;

interface Client {
	doc: Y.Doc;
	provider: WebsocketProvider;
	destroy(): void;
}

function client(
	incidentId: string,
	user: string,
	{ readOnly = false, on = server }: { readOnly?: boolean; on?: TestRoomServer } = {}
): Client {
	const doc = newIncidentDoc();
	const provider = new WebsocketProvider(on.url, incidentId, doc, {
		WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
		params: readOnly ? { user, readonly: '1' } : { user },
		// Same-process providers would otherwise sync through BroadcastChannel, around the server.
		disableBc: true,
		maxBackoffTime: 200
	});
	provider.awareness.setLocalState({ user: { id: user, name: user, color: '#888' } });
	const c = {
		doc,
		provider,
		destroy() {
			provider.destroy();
			doc.destroy();
		}
	};
	cleanups.push(() => c.destroy());
	return c;
}

async function waitFor(
	condition: () => boolean | Promise<boolean>,
	what = 'condition',
	ms = 10_000
) {
	const deadline = Date.now() + ms;
	while (!(await condition())) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 15));
	}
}

const synced = (c: Client) => waitFor(() => c.provider.synced, 'sync');

/** Everything a user sees of the document, for comparing clients. */
function view(doc: Y.Doc) {
	return {
		timeline: readTimeline(doc),
		checklist: readChecklist(doc),
		postmortem: postmortemOf(doc).toString()
	};
}

/** The document as stored (not as any room holds it). */
async function storedView(incidentId: string, db = handle) {
	const stored = await new RoomStore(db.db).loadDocument(incidentId);
	const doc = newIncidentDoc();
	Y.applyUpdate(doc, stored.state);
	return view(doc);
}

/** A raw socket speaking whatever bytes a test wants. */
async function rawSocket(incidentId: string, user = 'raw') {
	const ws = new WebSocket(`${server.url}/${incidentId}?user=${user}`);
	const closed = new Promise<{ code: number; reason: string }>((resolve) =>
		ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }))
	);
	ws.on('error', () => {});
	await new Promise((resolve, reject) => {
		ws.once('open', resolve);
		ws.once('error', reject);
	});
	cleanups.push(() => ws.terminate());
	return { ws, closed };
}

describe('stock y-websocket clients', () => {
	it('converge when three write timeline, checklist and postmortem concurrently', async () => {
		const incidentId = newIncident();
		const clients = ['alice', 'bob', 'carol'].map((u) => client(incidentId, u));
		await Promise.all(clients.map(synced));

		const seed = addChecklistItem(clients[0].doc, { id: 'seed', text: 'Page the DB on-call' });
		await waitFor(() => clients.every((c) => readChecklist(c.doc).length === 1), 'seed item');

		clients.forEach((c, i) => {
			for (let n = 0; n < 20; n++) {
				appendEntry(c.doc, { ts: 1000 + n, kind: 'note', text: `${i}:${n}`, author: `u${i}` });
				postmortemOf(c.doc).insert(0, `[${i}.${n}]`);
			}
			addChecklistItem(c.doc, { text: `step from ${i}` });
		});
		setChecklistDone(clients[1].doc, seed.id, true, 'u1');

		await waitFor(
			() =>
				clients.every((c) => readTimeline(c.doc).filter((e) => e.kind === 'note').length === 60),
			'all timeline entries everywhere'
		);
		// Every queued write stored and sent, including the server's own echo of the tick.
		await server.registry.read(incidentId, () => null);
		await waitFor(
			() => clients.every((c) => readTimeline(c.doc).some((e) => e.kind === 'checklist')),
			'the system entry for the ticked item'
		);
		await waitFor(
			() =>
				clients.every((c) => JSON.stringify(view(c.doc)) === JSON.stringify(view(clients[0].doc))),
			'convergence'
		);
		const seen = view(clients[0].doc);
		expect(seen.checklist).toHaveLength(4);
		expect(seen.checklist.find((i) => i.id === 'seed')?.done).toBe(true);
		for (let i = 0; i < 3; i++)
			for (let n = 0; n < 20; n++) expect(seen.postmortem).toContain(`[${i}.${n}]`);
		expect(await storedView(incidentId)).toEqual(seen);
	});

	it('give a late joiner everything written before it came', async () => {
		const incidentId = newIncident();
		const alice = client(incidentId, 'alice');
		await synced(alice);
		appendEntry(alice.doc, { ts: 1, kind: 'note', text: 'DB failover started', author: 'alice' });
		addChecklistItem(alice.doc, { text: 'Freeze deploys' });
		postmortemOf(alice.doc).insert(0, '# Summary\n');
		await waitFor(async () => (await storedView(incidentId)).timeline.length === 1, 'stored');

		const late = client(incidentId, 'dave');
		await synced(late);
		expect(view(late.doc)).toEqual(view(alice.doc));
	});

	it('hear their own presence echoed and see others arrive and leave', async () => {
		const incidentId = newIncident();
		const alice = client(incidentId, 'alice');
		await synced(alice);
		// The client ignores its own state coming back (same clock), so watch the wire: what keeps a
		// lone client from reconnecting is that some message arrives.
		const awarenessFrames = vi.fn();
		alice.provider.ws!.addEventListener('message', (event: MessageEvent) => {
			if (new Uint8Array(event.data as ArrayBuffer)[0] === 1) awarenessFrames();
		});
		alice.provider.awareness.setLocalStateField('viewing', 'postmortem');
		await waitFor(() => awarenessFrames.mock.calls.length > 0, 'awareness echo');

		const bob = client(incidentId, 'bob');
		await synced(bob);
		const names = (c: Client) =>
			[...c.provider.awareness.getStates().values()].map((s) => s.user?.id).sort();
		await waitFor(() => names(alice).join() === 'alice,bob', 'alice sees bob');
		await waitFor(() => names(bob).join() === 'alice,bob', 'bob sees alice');

		bob.provider.disconnect();
		await waitFor(() => names(alice).join() === 'alice', 'bob gone from alice’s presence');
		expect(names(alice)).toEqual(['alice']);
	});
});

/** Captures the structured log lines written from now until the test ends (`level` and up). */
function captureLogs(level: 'info' | 'warn' = 'warn') {
	const previous = process.env.LOG_LEVEL;
	process.env.LOG_LEVEL = level;
	const spies = [process.stdout, process.stderr].map((stream) =>
		vi.spyOn(stream, 'write').mockImplementation(() => true)
	);
	cleanups.push(() => {
		for (const spy of spies) spy.mockRestore();
		process.env.LOG_LEVEL = previous;
	});
	return {
		events: () =>
			spies
				.flatMap((spy) => spy.mock.calls.map(([chunk]) => String(chunk)))
				.flatMap((text) => text.split('\n').filter(Boolean))
				.flatMap((line) => {
					try {
						return [JSON.parse(line) as Record<string, unknown>];
					} catch {
						return [];
					}
				})
	};
}

/** Closes as a stock provider sees them. */
function closeCodes(c: Client): number[] {
	const codes: number[] = [];
	c.provider.on('connection-close', (event) => {
		if (event) codes.push(event.code);
	});
	return codes;
}

const entryTexts = (doc: Y.Doc) => readTimeline(doc).map((e) => e.text);

describe('read-only connections', () => {
	it('receive sync and live updates, but their writes reach nobody and nothing is stored', async () => {
		const incidentId = newIncident();
		const alice = client(incidentId, 'alice');
		await synced(alice);
		appendEntry(alice.doc, { ts: 1, kind: 'note', text: 'before viewer', author: 'alice' });

		const logs = captureLogs();
		const exec = client(incidentId, 'exec', { readOnly: true });
		await synced(exec);
		await waitFor(() => entryTexts(exec.doc).includes('before viewer'), 'viewer gets history');

		appendEntry(exec.doc, { ts: 2, kind: 'note', text: 'viewer write', author: 'exec' });
		postmortemOf(exec.doc).insert(0, 'viewer text');
		// Frames of one socket are handled in order: once the viewer's next presence reaches alice,
		// the server has dealt with its writes.
		exec.provider.awareness.setLocalStateField('marker', 1);
		await waitFor(
			() => [...alice.provider.awareness.getStates().values()].some((s) => s.marker === 1),
			'viewer presence after its writes'
		);

		appendEntry(alice.doc, { ts: 3, kind: 'note', text: 'after viewer', author: 'alice' });
		await waitFor(() => entryTexts(exec.doc).includes('after viewer'), 'viewer gets live updates');
		await server.registry.read(incidentId, () => null);

		expect(entryTexts(alice.doc)).toEqual(['before viewer', 'after viewer']);
		expect(postmortemOf(alice.doc).toString()).toBe('');
		const stored = await storedView(incidentId);
		expect(stored.timeline.map((e) => e.text)).toEqual(['before viewer', 'after viewer']);
		expect(stored.postmortem).toBe('');
		expect(logs.events()).toContainEqual(
			expect.objectContaining({ event: 'yjs.readonly_write_dropped', incidentId, userId: 'exec' })
		);
	});
});

/** An update that decodes cleanly but throws inside Yjs when integrated into an empty document. */
const UNINTEGRABLE_UPDATE = Buffer.from(
	'0103010007010874696d656c696e65012800014f02696401770361626328000100047465787401770568656c6c6f00',
	'hex'
);

describe('bad input', () => {
	const updateFrame = (update: Uint8Array) => Buffer.from([0, 2, update.length, ...update]);
	it.each([
		['unknown message type 99', Buffer.from([99]), 1003, 'unknown message type 99'],
		['a truncated varint', Buffer.from([0x80]), 1007, 'truncated or malformed message'],
		['a length running past the frame', Buffer.from([0, 2, 50, 1, 2, 3]), 1007, 'length runs past'],
		[
			'garbage as an update',
			updateFrame(Buffer.from([0xff, 0xfe, 0xfd])),
			1007,
			'malformed update'
		],
		['a malformed awareness update', Buffer.from([1, 3, 1, 1, 0]), 1007, 'malformed awareness'],
		[
			'an update that decodes but does not integrate',
			updateFrame(UNINTEGRABLE_UPDATE),
			1007,
			'update does not apply'
		],
		['a text frame', 'hello', 1003, 'text frames are not supported']
	])('%s closes only that socket; the room goes on', async (_name, payload, expectedCode, why) => {
		const incidentId = newIncident();
		const alice = client(incidentId, 'alice');
		const bob = client(incidentId, 'bob');
		await Promise.all([synced(alice), synced(bob)]);
		appendEntry(alice.doc, { ts: 1, kind: 'note', text: 'first', author: 'alice' });
		await waitFor(() => entryTexts(bob.doc).includes('first'), 'first entry');
		const aliceCloses = closeCodes(alice);

		const logs = captureLogs();
		const raw = await rawSocket(incidentId, 'mallory');
		raw.ws.send(payload);
		const { code, reason } = await raw.closed;
		expect(code).toBe(expectedCode);
		expect(reason).toContain(why);
		expect(logs.events()).toContainEqual(
			expect.objectContaining({
				event: 'yjs.bad_frame',
				incidentId,
				userId: 'mallory',
				reason: expect.stringContaining(why)
			})
		);

		appendEntry(bob.doc, { ts: 2, kind: 'note', text: 'second', author: 'bob' });
		await waitFor(() => entryTexts(alice.doc).includes('second'), 'others keep syncing');
		await server.registry.read(incidentId, () => null);
		expect((await storedView(incidentId)).timeline.map((e) => e.text)).toEqual(['first', 'second']);
		expect(aliceCloses).toEqual([]);
	});

	it('an oversized frame is closed by ws with 1009 and logged', async () => {
		const incidentId = newIncident();
		const logs = captureLogs();
		const raw = await rawSocket(incidentId, 'mallory');
		raw.ws.send(Buffer.alloc(MAX_YJS_FRAME_BYTES + 1));
		expect((await raw.closed).code).toBe(1009);
		await waitFor(() => logs.events().some((e) => e.event === 'yjs.bad_frame'), 'log line');
		expect(logs.events()).toContainEqual(
			expect.objectContaining({ event: 'yjs.bad_frame', incidentId, userId: 'mallory' })
		);
	});
});

async function logRows(incidentId: string, db = handle) {
	const { seqs, throughSeq } = await storedLog(db.db, incidentId);
	return { updates: seqs.length, compacted: throughSeq !== null };
}

/** What a client holds at the moment it first counts itself synced (the step 2 it got). */
function viewAtFirstSync(c: Client): Promise<ReturnType<typeof view>> {
	return new Promise((resolve) =>
		c.provider.once('sync', (isSynced: boolean) => isSynced && resolve(view(c.doc)))
	);
}

function writeIncident(doc: Y.Doc, tag: string) {
	appendEntry(doc, { ts: 10, kind: 'note', text: `${tag} note`, author: 'alice' });
	addChecklistItem(doc, { id: `${tag}-item`, text: `${tag} item` });
	postmortemOf(doc).insert(0, `${tag} postmortem`);
}

describe('persistence', () => {
	it('unloads an empty room after the grace period, compacted, and rebuilds it on the next join', async () => {
		const quick = await startRoomServer(handle, { unloadAfterMs: 50 });
		cleanups.push(() => quick.close());
		const incidentId = newIncident();
		const alice = client(incidentId, 'alice', { on: quick });
		await synced(alice);
		writeIncident(alice.doc, 'before');
		await waitFor(async () => (await storedView(incidentId)).checklist.length === 1, 'stored');
		const before = view(alice.doc);
		alice.destroy();

		await waitFor(() => quick.registry.stats().rooms === 0, 'room unloaded');
		expect(await logRows(incidentId)).toEqual({ updates: 0, compacted: true });

		const bob = client(incidentId, 'bob', { on: quick });
		// Loaded before answering: the very first step 2 already carries the stored state.
		expect(await viewAtFirstSync(bob)).toEqual(before);
		expect(quick.registry.stats()).toEqual({ rooms: 1, connections: 1 });
	});

	it('sends a fresh joiner what was written since the room loaded, not just what it loaded', async () => {
		const incidentId = newIncident();
		const first = client(incidentId, 'alice');
		await synced(first);
		appendEntry(first.doc, { ts: 1, kind: 'note', text: 'before the reload', author: 'alice' });
		await server.registry.read(incidentId, () => null);
		first.destroy();
		// A new registry on the same file loads the incident from storage.
		const reloaded = await startRoomServer(handle);
		cleanups.push(() => reloaded.close());
		const alice = client(incidentId, 'alice', { on: reloaded });
		await synced(alice);
		expect(readTimeline(alice.doc).map((e) => e.text)).toEqual(['before the reload']);
		appendEntry(alice.doc, { ts: 2, kind: 'note', text: 'after the reload', author: 'alice' });
		await reloaded.registry.read(incidentId, () => null);
		const bob = client(incidentId, 'bob', { on: reloaded });
		expect((await viewAtFirstSync(bob)).timeline.map((e) => e.text)).toEqual([
			'before the reload',
			'after the reload'
		]);
	});

	it('keeps a room loaded when someone joins within the grace period', async () => {
		const quick = await startRoomServer(handle, { unloadAfterMs: 150 });
		cleanups.push(() => quick.close());
		const incidentId = newIncident();
		const alice = client(incidentId, 'alice', { on: quick });
		await synced(alice);
		const logs = captureLogs('info');
		alice.destroy();
		await waitFor(() => quick.registry.stats().connections === 0, 'alice gone');
		const bob = client(incidentId, 'bob', { on: quick });
		await synced(bob);
		await new Promise((resolve) => setTimeout(resolve, 300)); // past the grace period
		expect(quick.registry.stats()).toEqual({ rooms: 1, connections: 1 });
		const forIncident = logs.events().filter((e) => e.incidentId === incidentId);
		expect(forIncident.map((e) => e.event)).toContain('yjs.connected'); // the capture works
		expect(forIncident.map((e) => e.event)).not.toContain('yjs.room_unloaded');
		expect(forIncident.map((e) => e.event)).not.toContain('yjs.room_loaded');
	});

	it('restores everything after registry.close() in a new registry on the same SQLite file', async () => {
		const file = path.join(dataDir, 'restart.sqlite');
		const first = openDatabase({ sqliteFile: file });
		await migrateToLatest(first);
		const before = await startRoomServer(first);
		const incidentId = newIncident();
		const alice = client(incidentId, 'alice', { on: before });
		const bob = client(incidentId, 'bob', { on: before });
		await Promise.all([synced(alice), synced(bob)]);
		writeIncident(alice.doc, 'alice');
		writeIncident(bob.doc, 'bob');
		await waitFor(() => JSON.stringify(view(alice.doc)) === JSON.stringify(view(bob.doc)), 'sync');
		await waitFor(() => readChecklist(alice.doc).length === 2, 'both items');
		// A server change still queued when close() starts must be stored too.
		const pending = before.registry.change(incidentId, (doc) =>
			appendEntry(doc, { ts: 99, kind: 'status', text: 'Status: mitigated', author: SYSTEM_AUTHOR })
		);
		const closeCodesSeen = closeCodes(alice);
		await before.registry.close();
		await pending;
		await waitFor(() => closeCodesSeen.includes(1001), 'clients told the server is going away');
		expect(await logRows(incidentId, first)).toEqual({ updates: 0, compacted: true });
		alice.destroy();
		bob.destroy();
		await before.close();
		await first.close();

		const second = openDatabase({ sqliteFile: file });
		cleanups.push(() => second.close());
		const after = await startRoomServer(second);
		cleanups.push(() => after.close());
		const carol = client(incidentId, 'carol', { on: after });
		const seen = await viewAtFirstSync(carol);
		expect(seen.timeline.map((e) => e.text).sort()).toEqual(
			['Status: mitigated', 'alice note', 'bob note'].sort()
		);
		expect(seen.checklist.map((i) => i.text).sort()).toEqual(['alice item', 'bob item']);
		expect(seen.postmortem).toContain('alice postmortem');
		expect(seen.postmortem).toContain('bob postmortem');
	});

	it('stores nothing when a client joins a document with deletions, or resends what is stored', async () => {
		const incidentId = newIncident();
		const writer = client(incidentId, 'alice');
		await synced(writer);
		postmortemOf(writer.doc).insert(0, 'A first draft that gets trimmed.');
		postmortemOf(writer.doc).delete(0, 8);
		await server.registry.read(incidentId, () => null);
		await waitFor(async () => (await logRows(incidentId)).updates === 2, 'both edits stored');

		// Its step 2 answering ours carries the whole delete set: the room already holds it.
		const joiner = client(incidentId, 'bob');
		await synced(joiner);
		// A reconnecting provider sends its whole state again.
		writer.provider.disconnect();
		writer.provider.connect();
		await synced(writer);
		await server.registry.read(incidentId, () => null);
		expect(await logRows(incidentId)).toMatchObject({ updates: 2 });
		expect(postmortemOf(joiner.doc).toString()).toBe('draft that gets trimmed.');
	});

	it('compacts in the background after enough appended updates', async () => {
		const eager = await startRoomServer(handle, { compactAfterUpdates: 5 });
		cleanups.push(() => eager.close());
		const incidentId = newIncident();
		const alice = client(incidentId, 'alice', { on: eager });
		await synced(alice);
		for (let i = 0; i < 12; i++) {
			appendEntry(alice.doc, { ts: i, kind: 'note', text: `n${i}`, author: 'alice' });
			await waitFor(async () => (await storedView(incidentId)).timeline.length === i + 1, 'stored');
		}
		await waitFor(async () => (await logRows(incidentId)).compacted, 'compaction');
		expect((await logRows(incidentId)).updates).toBeLessThan(12);
		expect((await storedView(incidentId)).timeline).toHaveLength(12);
	});

	it('when storing fails: nothing is broadcast, the writer is closed with 1011, and its resend lands later', async () => {
		const incidentId = newIncident();
		await handle.db.schema
			.createTable('test_fail_appends')
			.ifNotExists()
			.addColumn('incident_id', 'text')
			.execute();
		await sqlExec(
			`CREATE TRIGGER IF NOT EXISTS test_fail_appends BEFORE INSERT ON yjs_updates
			 WHEN NEW.incident_id IN (SELECT incident_id FROM test_fail_appends)
			 BEGIN SELECT RAISE(ABORT, 'simulated disk failure'); END`
		);
		const alice = client(incidentId, 'alice');
		const bob = client(incidentId, 'bob');
		await Promise.all([synced(alice), synced(bob)]);
		appendEntry(alice.doc, { ts: 1, kind: 'note', text: 'stored fine', author: 'alice' });
		await waitFor(() => entryTexts(bob.doc).includes('stored fine'), 'first entry');

		const logs = captureLogs();
		const aliceCloses = closeCodes(alice);
		await handle.db
			.insertInto('test_fail_appends' as never)
			.values({ incident_id: incidentId } as never)
			.execute();
		appendEntry(alice.doc, { ts: 2, kind: 'note', text: 'while disk failing', author: 'alice' });
		await waitFor(() => aliceCloses.includes(1011), 'writer closed with 1011');
		expect(logs.events()).toContainEqual(
			expect.objectContaining({ event: 'yjs.persist_failed', incidentId, userIds: ['alice'] })
		);
		expect(entryTexts(bob.doc)).toEqual(['stored fine']);
		expect((await storedView(incidentId)).timeline.map((e) => e.text)).toEqual(['stored fine']);

		await handle.db.deleteFrom('test_fail_appends' as never).execute();
		// Alice's provider reconnects on its own and its step 2 carries the unstored entry.
		await waitFor(
			() => entryTexts(bob.doc).includes('while disk failing'),
			'resent after recovery'
		);
		await server.registry.read(incidentId, () => null);
		expect((await storedView(incidentId)).timeline.map((e) => e.text)).toEqual([
			'stored fine',
			'while disk failing'
		]);
	});
});

async function sqlExec(statement: string) {
	const { sql } = await import('kysely');
	await sql.raw(statement).execute(handle.db);
}

describe('server-authored changes and checklist completions', () => {
	it('change() is stored and broadcast; read() sees it; a throwing change changes nothing', async () => {
		const incidentId = newIncident();
		const alice = client(incidentId, 'alice');
		await synced(alice);
		await server.registry.change(incidentId, (doc) =>
			appendEntry(doc, { ts: 5, kind: 'status', text: 'Status: identified', author: SYSTEM_AUTHOR })
		);
		// Resolved means stored and sent.
		expect((await storedView(incidentId)).timeline.map((e) => e.text)).toEqual([
			'Status: identified'
		]);
		await waitFor(() => entryTexts(alice.doc).includes('Status: identified'), 'client sees it');
		expect(await server.registry.read(incidentId, (doc) => entryTexts(doc))).toEqual([
			'Status: identified'
		]);

		await expect(
			server.registry.change(incidentId, (doc) => {
				appendEntry(doc, { ts: 6, kind: 'note', text: 'half done', author: SYSTEM_AUTHOR });
				throw new Error('boom');
			})
		).rejects.toThrow('boom');
		expect(await server.registry.read(incidentId, (doc) => entryTexts(doc))).toEqual([
			'Status: identified'
		]);
		expect((await storedView(incidentId)).timeline).toHaveLength(1);
	});

	it('a checklist item marked done by clients yields exactly one system timeline entry', async () => {
		const incidentId = newIncident();
		const [alice, bob, carol] = ['alice', 'bob', 'carol'].map((u) => client(incidentId, u));
		await Promise.all([alice, bob, carol].map(synced));
		addChecklistItem(alice.doc, { id: 'restart', text: 'Restart pods' });
		await waitFor(
			() => [bob, carol].every((c) => readChecklist(c.doc).length === 1),
			'item everywhere'
		);

		// Two responders tick it at the same moment.
		setChecklistDone(bob.doc, 'restart', true, 'bob');
		setChecklistDone(carol.doc, 'restart', true, 'carol');
		const systemEntries = (doc: Y.Doc) =>
			readTimeline(doc).filter((e) => e.author === SYSTEM_AUTHOR && e.kind === 'checklist');
		await waitFor(
			() => [alice, bob, carol].every((c) => systemEntries(c.doc).length >= 1),
			'system entry everywhere'
		);
		// A later write through the same room: everything queued before it has been handled.
		appendEntry(alice.doc, { ts: Date.now(), kind: 'note', text: 'marker', author: 'alice' });
		await waitFor(() => entryTexts(carol.doc).includes('marker'), 'marker');
		await server.registry.read(incidentId, () => null);

		for (const c of [alice, bob, carol]) {
			expect(systemEntries(c.doc)).toEqual([
				expect.objectContaining({ text: 'Checklist: "Restart pods" done', kind: 'checklist' })
			]);
		}
		expect(
			(await storedView(incidentId)).timeline.filter((e) => e.author === SYSTEM_AUTHOR)
		).toHaveLength(1);

		// A server-side completion is the caller's to record: no second entry.
		await server.registry.change(incidentId, (doc) => {
			setChecklistDone(doc, 'restart', false, 'system');
			setChecklistDone(doc, 'restart', true, 'system');
		});
		expect(await server.registry.read(incidentId, (doc) => systemEntries(doc).length)).toBe(1);
	});
});

describe('loading', () => {
	it('loads a room once for many simultaneous joins (a reconnect stampede)', async () => {
		const incidentId = newIncident();
		await server.registry.change(incidentId, (doc) =>
			appendEntry(doc, { ts: 1, kind: 'note', text: 'already here', author: SYSTEM_AUTHOR })
		);
		const quick = await startRoomServer(handle, { unloadAfterMs: 60_000 });
		cleanups.push(() => quick.close());
		const logs = captureLogs('info');
		const crowd = Array.from({ length: 8 }, (_, i) => client(incidentId, `u${i}`, { on: quick }));
		const views = await Promise.all(crowd.map(viewAtFirstSync));
		for (const v of views) expect(v.timeline.map((e) => e.text)).toEqual(['already here']);
		const loads = logs
			.events()
			.filter((e) => e.event === 'yjs.room_loaded' && e.incidentId === incidentId);
		expect(loads).toHaveLength(1);
		expect(quick.registry.stats()).toEqual({ rooms: 1, connections: 8 });
	});

	it('closes joiners with 1011 when the incident cannot be loaded, and retries on the next join', async () => {
		const broken = openDatabase({ sqliteFile: ':memory:' }); // never migrated: no tables
		const failing = await startRoomServer(broken);
		cleanups.push(async () => {
			await failing.close();
			await broken.close();
		});
		const logs = captureLogs();
		const ws = new WebSocket(`${failing.url}/${newIncident()}?user=alice`);
		ws.on('error', () => {});
		const closed = await new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
		expect(closed).toBe(1011);
		expect(logs.events().map((e) => e.event)).toContain('yjs.room_load_failed');
		expect(failing.registry.stats().rooms).toBe(0);
	});
});
