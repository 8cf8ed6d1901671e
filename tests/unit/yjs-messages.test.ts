import { describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import {
	encodeAwarenessMessage,
	encodeSyncStep1,
	encodeSyncStep2,
	encodeUpdateMessage,
	inspectUpdate,
	isAlreadyApplied,
	isEmptyStateVector,
	isValidAwarenessUpdate,
	isValidStateVector,
	parseFrame
} from '../../server/yjs-messages';

function frame(write: (e: encoding.Encoder) => void): Uint8Array {
	const e = encoding.createEncoder();
	write(e);
	return encoding.toUint8Array(e);
}

function someUpdate(): Uint8Array {
	const doc = new Y.Doc();
	doc.getText('postmortem').insert(0, 'hello');
	return Y.encodeStateAsUpdate(doc);
}

describe('parseFrame', () => {
	it('reads the messages the stock client sends', () => {
		const doc = new Y.Doc();
		const update = someUpdate();
		expect(parseFrame(encodeSyncStep1(doc))).toMatchObject({
			ok: true,
			message: { type: 'sync-step1' }
		});
		expect(parseFrame(encodeSyncStep2(update))).toEqual({
			ok: true,
			message: { type: 'sync-step2', update }
		});
		expect(parseFrame(encodeUpdateMessage(update))).toEqual({
			ok: true,
			message: { type: 'update', update }
		});
		expect(parseFrame(encodeAwarenessMessage(new Uint8Array([0])))).toEqual({
			ok: true,
			message: { type: 'awareness', update: new Uint8Array([0]) }
		});
		expect(parseFrame(new Uint8Array([3]))).toEqual({
			ok: true,
			message: { type: 'query-awareness' }
		});
	});

	it('calls unknown message and sync types unsupported', () => {
		expect(parseFrame(new Uint8Array([99]))).toEqual({
			ok: false,
			reason: 'unknown message type 99',
			unsupported: true
		});
		// Auth (2) is a server-to-client message.
		expect(parseFrame(new Uint8Array([2, 0]))).toMatchObject({ ok: false, unsupported: true });
		expect(parseFrame(new Uint8Array([0, 7, 0]))).toMatchObject({ ok: false, unsupported: true });
	});

	it.each([
		['an empty frame', []],
		['a truncated varint', [0x80]],
		['a varint past 2^53', [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]],
		['a sync message with no sync type', [0]],
		['a length running past the frame', [0, 2, 10, 1, 2]],
		['an awareness message with no payload', [1]],
		['trailing bytes', [3, 0]]
	])('calls %s malformed', (_name, bytes) => {
		expect(parseFrame(new Uint8Array(bytes))).toMatchObject({ ok: false, unsupported: false });
	});

	it('never reads outside the frame it was given', () => {
		// A view into a bigger buffer, as ws hands out: the length prefix points past the view.
		const backing = new Uint8Array([0, 2, 4, 1, 2, 3, 4, 5]);
		const view = backing.subarray(0, 4);
		expect(parseFrame(view)).toMatchObject({ ok: false });
	});
});

describe('payload checks', () => {
	it('tells content, empty and malformed updates apart', () => {
		const update = someUpdate();
		expect(inspectUpdate(update).kind).toBe('content');
		expect(inspectUpdate(Y.encodeStateAsUpdate(new Y.Doc())).kind).toBe('empty');
		for (let cut = 1; cut < update.length; cut++) {
			expect(inspectUpdate(update.slice(0, cut)).kind).toBe('malformed');
		}
	});

	it('tells an empty state vector (a fresh client) from one with entries', () => {
		const doc = new Y.Doc();
		expect(isEmptyStateVector(Y.encodeStateVector(doc))).toBe(true);
		doc.getText('t').insert(0, 'x');
		expect(isEmptyStateVector(Y.encodeStateVector(doc))).toBe(false);
		expect(isEmptyStateVector(new Uint8Array([]))).toBe(false);
	});

	it('checks state vectors', () => {
		const doc = new Y.Doc();
		doc.getText('t').insert(0, 'x');
		expect(isValidStateVector(Y.encodeStateVector(doc))).toBe(true);
		expect(isValidStateVector(new Uint8Array([2, 1]))).toBe(false);
		expect(isValidStateVector(new Uint8Array([0, 0]))).toBe(false);
	});

	it('checks awareness updates in full before any of it is applied', () => {
		const good = frame((e) => {
			encoding.writeVarUint(e, 1);
			encoding.writeVarUint(e, 42);
			encoding.writeVarUint(e, 1);
			encoding.writeVarString(e, JSON.stringify({ user: { id: 'u1' } }));
		});
		expect(isValidAwarenessUpdate(good)).toBe(true);
		const badJson = frame((e) => {
			encoding.writeVarUint(e, 2);
			encoding.writeVarUint(e, 42);
			encoding.writeVarUint(e, 1);
			encoding.writeVarString(e, '{}');
			encoding.writeVarUint(e, 43);
			encoding.writeVarUint(e, 1);
			encoding.writeVarString(e, '{not json');
		});
		expect(isValidAwarenessUpdate(badJson)).toBe(false);
		expect(isValidAwarenessUpdate(good.slice(0, good.length - 1))).toBe(false);
	});
});

describe('telling updates that change nothing', () => {
	/** A server copy and a client that edited, deleted and is in sync with it. */
	function synced() {
		const server = new Y.Doc({ gc: false });
		const client = new Y.Doc({ gc: false });
		client.getText('t').insert(0, 'hello world');
		client.getText('t').delete(0, 6);
		client.getArray('a').push(['x', 'y']);
		client.getArray('a').delete(0, 1);
		Y.applyUpdate(server, Y.encodeStateAsUpdate(client));
		return { server, client };
	}
	const decoded = (update: Uint8Array) => Y.decodeUpdate(update);

	it("knows a joining client's step 2 that repeats deletions it has", () => {
		const { server, client } = synced();
		const step2 = Y.encodeStateAsUpdate(client, Y.encodeStateVector(server));
		expect(Y.decodeUpdate(step2).ds.clients.size).toBeGreaterThan(0); // not empty: it carries deletes
		expect(isAlreadyApplied(server, decoded(step2))).toBe(true);
	});

	it('knows an update it already holds (a resend after a reconnect)', () => {
		const { server, client } = synced();
		expect(isAlreadyApplied(server, decoded(Y.encodeStateAsUpdate(client)))).toBe(true);
	});

	it('sees a new struct', () => {
		const { server, client } = synced();
		const before = Y.encodeStateVector(client);
		client.getText('t').insert(0, '!');
		expect(isAlreadyApplied(server, decoded(Y.encodeStateAsUpdate(client, before)))).toBe(false);
	});

	it('sees a new deletion of something it holds', () => {
		const { server, client } = synced();
		const before = Y.encodeStateVector(client);
		client.getText('t').delete(0, 1);
		const update = Y.encodeStateAsUpdate(client, before);
		expect(decoded(update).structs).toHaveLength(0); // deletions only
		expect(isAlreadyApplied(server, decoded(update))).toBe(false);
	});

	it('sees deletions of structs it has never seen', () => {
		const { server } = synced();
		const stranger = new Y.Doc({ gc: false });
		stranger.getText('t').insert(0, 'abc');
		const before = Y.encodeStateVector(stranger);
		stranger.getText('t').delete(0, 3);
		expect(isAlreadyApplied(server, decoded(Y.encodeStateAsUpdate(stranger, before)))).toBe(false);
	});
});
