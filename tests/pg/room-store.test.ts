/**
 * The room store on PostgreSQL (bytea, bigserial, repeatable-read loads and
 * compactions), in a fresh database on the server named by TEST_DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	migrateToLatest,
	openDatabase,
	type DatabaseHandle
} from '../../src/lib/server/db/connect';
import {
	appendEntry,
	newIncidentDoc,
	postmortemOf,
	readTimeline
} from '../../src/lib/doc/incident-doc';
import { RoomStore } from '../../server/room-store';
import { tempDatabase } from '../support/pg';

const database = tempDatabase('warroom_store');

let handle: DatabaseHandle;
let store: RoomStore;

beforeAll(async () => {
	await database.create();
	handle = openDatabase({ databaseUrl: database.url });
	await migrateToLatest(handle);
	store = new RoomStore(handle.db);
});

afterAll(async () => {
	await handle?.close();
	await database.drop();
});

function load(state: Uint8Array) {
	const doc = newIncidentDoc();
	Y.applyUpdate(doc, state);
	return doc;
}

describe('room store on PostgreSQL', () => {
	it('round-trips updates through append, load and compact', async () => {
		const doc = newIncidentDoc();
		const updates: Uint8Array[] = [];
		doc.on('update', (u: Uint8Array) => updates.push(u));
		for (let i = 0; i < 25; i++) {
			appendEntry(doc, { ts: i, kind: 'note', text: `n${i}`, author: 'u1' });
			postmortemOf(doc).insert(0, `${i};`);
		}
		const seq = await store.appendUpdates('pg1', updates);
		const before = await store.loadDocument('pg1');
		expect(before).toMatchObject({ lastSeq: seq, uncompacted: updates.length });
		expect(await store.compact('pg1', seq)).toMatchObject({
			throughSeq: seq,
			rows: updates.length
		});
		const after = await store.loadDocument('pg1');
		expect(after).toMatchObject({ lastSeq: seq, uncompacted: 0 });
		expect(Y.equalSnapshots(Y.snapshot(load(after.state)), Y.snapshot(doc))).toBe(true);
		expect(readTimeline(load(after.state))).toEqual(readTimeline(doc));
	});

	it('loses nothing when appends, compactions and loads run at the same time', async () => {
		const doc = newIncidentDoc();
		const updates: Uint8Array[] = [];
		doc.on('update', (u: Uint8Array) => updates.push(u));
		for (let i = 0; i < 120; i++)
			appendEntry(doc, { ts: i, kind: 'note', text: `c${i}`, author: 'u' });

		const work: Promise<unknown>[] = [];
		for (let i = 0; i < updates.length; i += 4) {
			work.push(store.appendUpdates('pg2', updates.slice(i, i + 4)));
			// Concurrent compactions may conflict under repeatable read; a failed one changes nothing.
			if (i % 20 === 0) work.push(store.compact('pg2').catch(() => null));
			if (i % 12 === 0) work.push(store.loadDocument('pg2'));
		}
		await Promise.all(work);
		await store.compact('pg2');
		const stored = await store.loadDocument('pg2');
		expect(readTimeline(load(stored.state))).toEqual(readTimeline(doc));
	});
});
