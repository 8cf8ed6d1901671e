/**
 * The SQLite log writer thread against a real database file, next to the main
 * connection: appends from several rooms, compactions and loads at once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	migrateToLatest,
	openDatabase,
	type DatabaseHandle
} from '../../src/lib/server/db/connect';
import { appendEntry, newIncidentDoc, readTimeline } from '../../src/lib/doc/incident-doc';
import { RoomStore } from '../../server/room-store';
import { SqliteAppender } from '../../server/sqlite-appender';

let dir: string;
let handle: DatabaseHandle;
let appender: SqliteAppender;
let store: RoomStore;

beforeEach(async () => {
	dir = mkdtempSync(path.join(tmpdir(), 'warroom-appender-'));
	handle = openDatabase({ sqliteFile: path.join(dir, 'warroom.sqlite') });
	await migrateToLatest(handle);
	appender = new SqliteAppender(handle.sqliteFile!);
	store = new RoomStore(handle.db, { appender });
});

afterEach(async () => {
	await appender.close();
	await handle.close();
	rmSync(dir, { recursive: true, force: true });
});

function writer(entries: number) {
	const doc = newIncidentDoc();
	const updates: Uint8Array[] = [];
	doc.on('update', (u: Uint8Array) => updates.push(u));
	for (let i = 0; i < entries; i++)
		appendEntry(doc, { ts: i, kind: 'note', text: `n${i}`, author: 'u' });
	return { doc, updates };
}

async function storedTimeline(incidentId: string) {
	const doc = newIncidentDoc();
	Y.applyUpdate(doc, (await store.loadDocument(incidentId)).state);
	return readTimeline(doc);
}

describe('appending from the SQLite writer thread', () => {
	it('stores rooms writing at once, with compactions and loads on the main connection meanwhile', async () => {
		const rooms = ['a', 'b', 'c'].map((id) => ({ id, ...writer(60) }));
		const work: Promise<unknown>[] = [];
		const seqs = new Map<string, number[]>();
		for (let i = 0; i < 60; i += 3) {
			for (const room of rooms) {
				const appended = store.appendUpdates(room.id, room.updates.slice(i, i + 3));
				work.push(appended.then((seq) => seqs.set(room.id, [...(seqs.get(room.id) ?? []), seq])));
			}
			if (i % 15 === 0) work.push(store.compact('a'), store.loadDocument('b'));
			await new Promise((r) => setImmediate(r));
		}
		await Promise.all(work);
		for (const room of rooms) {
			const own = seqs.get(room.id)!;
			expect([...own].sort((x, y) => x - y)).toEqual(own); // a room's appends are ordered
			expect(await storedTimeline(room.id)).toEqual(readTimeline(room.doc));
		}
	});

	it('fails only the append the database refuses', async () => {
		const { updates } = writer(2);
		const results = await Promise.allSettled([
			store.appendUpdates('a', updates),
			store.appendUpdates(null as unknown as string, updates)
		]);
		expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
		expect(await storedTimeline('a')).toHaveLength(2);
	});

	it('starts a new writer thread after the old one is gone', async () => {
		const { doc, updates } = writer(4);
		await store.appendUpdates('a', updates.slice(0, 2));
		await appender.close(); // as if it had died
		await store.appendUpdates('a', updates.slice(2));
		expect(await storedTimeline('a')).toEqual(readTimeline(doc));
	});
});
