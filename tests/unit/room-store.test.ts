import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import {
	migrateToLatest,
	openDatabase,
	type DatabaseHandle
} from '../../src/lib/server/db/connect';
import {
	addChecklistItem,
	appendEntry,
	newIncidentDoc,
	postmortemOf,
	readChecklist,
	readTimeline,
	setChecklistDone
} from '../../src/lib/doc/incident-doc';
import { inThreadFolder } from '../../server/folder';
import { RoomStore } from '../../server/room-store';
import { storedLog } from '../support/stored-log';

let handle: DatabaseHandle;
let store: RoomStore;

beforeEach(async () => {
	handle = openDatabase({ sqliteFile: ':memory:' });
	await migrateToLatest(handle);
	store = new RoomStore(handle.db);
});
afterEach(() => handle.close());

/** Edits a document the way clients do and collects every update it emits. */
function editedDoc(edits: number) {
	const doc = newIncidentDoc();
	const updates: Uint8Array[] = [];
	doc.on('update', (u: Uint8Array) => updates.push(u));
	const item = addChecklistItem(doc, { text: 'Roll back deploy' });
	for (let i = 0; i < edits; i++) {
		appendEntry(doc, { ts: 1000 + i, kind: 'note', text: `note ${i}`, author: 'u1' });
		postmortemOf(doc).insert(postmortemOf(doc).length, `line ${i}\n`);
		if (i % 3 === 0) postmortemOf(doc).delete(0, 2);
	}
	setChecklistDone(doc, item.id, true, 'u1', 5000);
	return { doc, updates };
}

function docFrom(state: Uint8Array): Y.Doc {
	const doc = newIncidentDoc();
	Y.applyUpdate(doc, state);
	return doc;
}

function expectSameDocument(actual: Y.Doc, expected: Y.Doc) {
	expect(readTimeline(actual)).toEqual(readTimeline(expected));
	expect(readChecklist(actual)).toEqual(readChecklist(expected));
	expect(postmortemOf(actual).toString()).toBe(postmortemOf(expected).toString());
	// Snapshots compare state vectors and delete sets: same history, not just same text.
	expect(Y.equalSnapshots(Y.snapshot(actual), Y.snapshot(expected))).toBe(true);
}

async function rowCounts(incidentId: string) {
	const { seqs, throughSeq } = await storedLog(handle.db, incidentId);
	return { updates: seqs.length, throughSeq };
}

describe('room store', () => {
	it('loads an incident never written as an empty document at seq 0', async () => {
		const stored = await store.loadDocument('nothing-here');
		expect(stored.lastSeq).toBe(0);
		expect(stored.uncompacted).toBe(0);
		expect(readTimeline(docFrom(stored.state))).toEqual([]);
	});

	it('stores appends of several incidents made at once, each with its own sequence numbers', async () => {
		const a = editedDoc(6);
		const b = editedDoc(4);
		const [seqA, seqB] = await Promise.all([
			store.appendUpdates('a', a.updates),
			store.appendUpdates('b', b.updates)
		]);
		expect(seqA).not.toBe(seqB);
		expect(Math.max(seqA, seqB)).toBe(a.updates.length + b.updates.length);
		expect((await store.loadDocument('a')).lastSeq).toBe(seqA);
		expect((await store.loadDocument('b')).lastSeq).toBe(seqB);
		expectSameDocument(docFrom((await store.loadDocument('a')).state), a.doc);
		expectSameDocument(docFrom((await store.loadDocument('b')).state), b.doc);
	});

	it('fails only the append that storage refuses when appends share a commit', async () => {
		const a = editedDoc(3);
		const results = await Promise.allSettled([
			store.appendUpdates('a', a.updates),
			// NOT NULL constraint: stands in for any write the database refuses.
			store.appendUpdates(null as unknown as string, a.updates)
		]);
		expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
		expect(await rowCounts('a')).toMatchObject({ updates: a.updates.length });
	});

	it('appends updates in one transaction and loads them back', async () => {
		const { doc, updates } = editedDoc(10);
		const seq1 = await store.appendUpdates('inc1', updates.slice(0, 5));
		const seq2 = await store.appendUpdates('inc1', updates.slice(5));
		expect(seq2).toBeGreaterThan(seq1);
		const stored = await store.loadDocument('inc1');
		expect(stored.lastSeq).toBe(seq2);
		expect(stored.uncompacted).toBe(updates.length);
		expectSameDocument(docFrom(stored.state), doc);
	});

	it('keeps incidents apart', async () => {
		const a = editedDoc(3);
		const b = editedDoc(4);
		await store.appendUpdates('a', a.updates);
		await store.appendUpdates('b', b.updates);
		expectSameDocument(docFrom((await store.loadDocument('a')).state), a.doc);
		expectSameDocument(docFrom((await store.loadDocument('b')).state), b.doc);
	});

	it('loads the same document after compaction as before, from one state row', async () => {
		const { doc, updates } = editedDoc(30);
		const lastSeq = await store.appendUpdates('inc1', updates);
		const before = await store.loadDocument('inc1');

		const result = await store.compact('inc1', lastSeq);
		expect(result).toEqual({
			throughSeq: lastSeq,
			rows: updates.length,
			bytes: expect.any(Number)
		});
		expect(await rowCounts('inc1')).toEqual({ updates: 0, throughSeq: lastSeq });

		const after = await store.loadDocument('inc1');
		expect(after.lastSeq).toBe(before.lastSeq);
		expect(after.uncompacted).toBe(0);
		expectSameDocument(docFrom(after.state), docFrom(before.state));
		expectSameDocument(docFrom(after.state), doc);
	});

	it('compacts only up to throughSeq and loads state plus the later rows', async () => {
		const { doc, updates } = editedDoc(12);
		const half = await store.appendUpdates('inc1', updates.slice(0, 10));
		const last = await store.appendUpdates('inc1', updates.slice(10));
		await store.compact('inc1', half);
		expect(await rowCounts('inc1')).toEqual({ updates: updates.length - 10, throughSeq: half });

		const stored = await store.loadDocument('inc1');
		expect(stored.lastSeq).toBe(last);
		expect(stored.uncompacted).toBe(updates.length - 10);
		expectSameDocument(docFrom(stored.state), doc);

		// A second compaction folds the rest into the existing state.
		await store.compact('inc1');
		expect(await rowCounts('inc1')).toEqual({ updates: 0, throughSeq: last });
		expectSameDocument(docFrom((await store.loadDocument('inc1')).state), doc);
	});

	it('lets a compaction that lost a race change nothing, and loses no row', async () => {
		const { doc, updates } = editedDoc(12);
		// A folder that holds the first compaction after it has read, so a second one overtakes it.
		let release!: () => void;
		const held = new Promise<void>((r) => (release = r));
		let calls = 0;
		const slow = new RoomStore(handle.db, {
			folder: {
				fold: async (state, rows) => {
					if (calls++ === 0) await held;
					return inThreadFolder.fold(state, rows);
				},
				close: async () => {}
			}
		});
		await store.appendUpdates('inc1', updates.slice(0, 4));
		await store.compact('inc1'); // a state row to replace
		await slow.appendUpdates('inc1', updates.slice(4, 10));
		const stale = slow.compact('inc1');
		await new Promise((r) => setTimeout(r, 10)); // it has read rows 5–10 and waits in fold
		await slow.appendUpdates('inc1', updates.slice(10));
		expect(await slow.compact('inc1')).toMatchObject({ rows: updates.length - 4 });
		release();
		expect(await stale).toBeNull();
		expect(await rowCounts('inc1')).toEqual({ updates: 0, throughSeq: updates.length });
		expectSameDocument(docFrom((await slow.loadDocument('inc1')).state), doc);
	});

	it('returns null when there is nothing to compact', async () => {
		expect(await store.compact('inc1')).toBeNull();
	});

	it('refuses an empty append', async () => {
		await expect(store.appendUpdates('inc1', [])).rejects.toThrow(RangeError);
	});

	it('skips (and logs) a damaged log row instead of making the incident unloadable', async () => {
		const { doc, updates } = editedDoc(2);
		await store.appendUpdates('inc1', updates);
		await handle.db
			.insertInto('yjs_updates')
			.values({ incident_id: 'inc1', data: Buffer.from([1, 5, 0xff]), created_at: 0 })
			.execute();
		const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
		try {
			const stored = await store.loadDocument('inc1');
			expectSameDocument(docFrom(stored.state), doc);
			expect(stderr.mock.calls.map(([line]) => String(line)).join('')).toContain(
				'yjs.store_corrupt_row'
			);
		} finally {
			stderr.mockRestore();
		}
	});
});
