import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { appendEntry, newIncidentDoc, readTimeline } from '../../src/lib/doc/incident-doc';
import { CorruptStateError, foldUpdates } from '../../server/fold';
import { WorkerFolder } from '../../server/folder';

function history(entries: number) {
	const doc = newIncidentDoc();
	const rows: { seq: number; data: Uint8Array }[] = [];
	doc.on('update', (u: Uint8Array) => rows.push({ seq: rows.length + 1, data: u }));
	for (let i = 0; i < entries; i++)
		appendEntry(doc, { ts: i, kind: 'note', text: `n${i}`, author: 'u' });
	return { doc, rows };
}

const timelineOf = (state: Uint8Array) => {
	const doc = newIncidentDoc();
	Y.applyUpdate(doc, state);
	return readTimeline(doc);
};

describe('folding a stored document', () => {
	it('folds a state and the rows after it into one update equal to the live document', () => {
		const { doc, rows } = history(30);
		const first = foldUpdates(null, rows.slice(0, 10));
		const all = foldUpdates(first.state, rows.slice(10));
		expect(all.skipped).toEqual([]);
		expect(timelineOf(all.state)).toEqual(readTimeline(doc));
	});

	it('skips and reports a damaged row, keeping the rest', () => {
		const { rows } = history(5);
		const damaged = [...rows, { seq: 99, data: new Uint8Array([1, 200, 7]) }];
		const { state, skipped } = foldUpdates(null, damaged);
		expect(skipped.map((s) => s.seq)).toEqual([99]);
		expect(timelineOf(state)).toHaveLength(5);
	});

	it('refuses a damaged compacted state', () => {
		expect(() => foldUpdates(new Uint8Array([1, 200, 7]), [])).not.toThrow(); // no rows: returned as is
		expect(() => foldUpdates(new Uint8Array([1, 200, 7]), history(1).rows)).toThrow(
			CorruptStateError
		);
	});
});

describe('the worker folder', () => {
	const folder = new WorkerFolder();
	afterAll(() => folder.close());

	it('folds on a worker thread with the same result as in place', async () => {
		const { rows } = history(50);
		const [inWorker, inPlace] = await Promise.all([
			folder.fold(null, rows),
			Promise.resolve(foldUpdates(null, rows))
		]);
		expect(timelineOf(inWorker.state)).toEqual(timelineOf(inPlace.state));
	});

	it('answers concurrent folds each with its own document', async () => {
		const docs = [history(3), history(7), history(11)];
		const results = await Promise.all(docs.map((d) => folder.fold(null, d.rows)));
		expect(results.map((r) => timelineOf(r.state).length)).toEqual([3, 7, 11]);
	});

	it('passes a corrupt state back as CorruptStateError', async () => {
		await expect(folder.fold(new Uint8Array([1, 200, 7]), history(1).rows)).rejects.toThrow(
			CorruptStateError
		);
	});
});
