/**
 * The SQLite log writer thread against a real database file, next to the main
 * connection: appends from several rooms, compactions and loads at once, and
 * compactions' compare-and-set state swaps.
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
import { SqliteLogWriter } from '../../server/sqlite-log-writer';
import { storedLog } from '../support/stored-log';

let dir: string;
let handle: DatabaseHandle;
let writer: SqliteLogWriter;
let store: RoomStore;

beforeEach(async () => {
	dir = mkdtempSync(path.join(tmpdir(), 'warroom-log-writer-'));
	handle = openDatabase({ sqliteFile: path.join(dir, 'warroom.sqlite') });
	await migrateToLatest(handle);
	writer = new SqliteLogWriter(handle.sqliteFile!);
	store = new RoomStore(handle.db, { writer });
});

afterEach(async () => {
	await writer.close();
	await handle.close();
	rmSync(dir, { recursive: true, force: true });
});

function clientEdits(entries: number) {
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

const storedRows = (incidentId: string) => storedLog(handle.db, incidentId);

describe('writing from the SQLite writer thread', () => {
	it('stores rooms writing at once, with compactions and loads on the main connection meanwhile', async () => {
		const rooms = ['a', 'b', 'c'].map((id) => ({ id, ...clientEdits(60) }));
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
		const { updates } = clientEdits(2);
		const results = await Promise.allSettled([
			store.appendUpdates('a', updates),
			store.appendUpdates(null as unknown as string, updates)
		]);
		expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
		expect(await storedTimeline('a')).toHaveLength(2);
	});

	it('starts a new writer thread after the old one is gone', async () => {
		const { doc, updates } = clientEdits(4);
		await store.appendUpdates('a', updates.slice(0, 2));
		await writer.close(); // as if it had died
		await store.appendUpdates('a', updates.slice(2));
		expect(await storedTimeline('a')).toEqual(readTimeline(doc));
	});

	it('swaps in a compacted state and deletes exactly the folded rows, or nothing if it lost the race', async () => {
		const { doc, updates } = clientEdits(6);
		const lastOfFirst = await store.appendUpdates('a', updates.slice(0, 3));
		expect(await store.compact('a')).toMatchObject({ rows: 3, throughSeq: lastOfFirst });
		expect(await storedRows('a')).toEqual({ seqs: [], throughSeq: lastOfFirst });

		const last = await store.appendUpdates('a', updates.slice(3));
		const stale = { incidentId: 'a', state: new Uint8Array([0, 0]), throughSeq: last };
		// Another compaction already wrote a state (no insert over it), or moved it on (no update).
		expect(await writer.swapState({ ...stale, readThrough: null, foldedSeqs: [last] })).toBe(false);
		expect(await writer.swapState({ ...stale, readThrough: 1, foldedSeqs: [last] })).toBe(false);
		expect(await storedRows('a')).toEqual({
			seqs: [last - 2, last - 1, last],
			throughSeq: lastOfFirst
		});

		expect(await store.compact('a', last - 1)).toMatchObject({ rows: 2, throughSeq: last - 1 });
		expect(await storedRows('a')).toEqual({ seqs: [last], throughSeq: last - 1 });
		expect(await storedTimeline('a')).toEqual(readTimeline(doc));
	});
});
