/**
 * The incident document through the real server with the stock client:
 * concurrent writers converge, late joiners catch up, a restart keeps
 * everything, and edits made offline sync once, without duplicates.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	addChecklistItem,
	appendEntry,
	postmortemOf,
	readChecklist,
	readTimeline,
	setChecklistDone
} from '../../src/lib/doc/incident-doc';
import { startServer, type TestServer } from '../support/server';
import { signedUp, type ApiClient } from '../support/http';
import { stockClient, synced, type StockClient } from '../support/yjs-client';
import { waitFor } from '../support/wait';

let server: TestServer;
let alice: ApiClient & { userId: string };
const clients: StockClient[] = [];

beforeAll(async () => {
	server = await startServer();
	alice = await signedUp(server.url, 'alice');
});
afterAll(async () => {
	for (const c of clients) c.destroy();
	await server?.dispose();
});

async function incident(title: string): Promise<string> {
	const res = await alice.post<{ id: string }>('/api/incidents', { title, severity: 'SEV2' });
	return res.body.id;
}

function connect(incidentId: string): StockClient {
	const c = stockClient(server.port, incidentId, alice.cookie);
	clients.push(c);
	return c;
}

/** Everything a responder would compare: timeline, checklist, postmortem. */
function snapshot(doc: Y.Doc) {
	return {
		timeline: readTimeline(doc).map((e) => `${e.ts}|${e.kind}|${e.text}|${e.author}`),
		checklist: readChecklist(doc).map((i) => `${i.text}|${i.done}`),
		postmortem: postmortemOf(doc).toString()
	};
}

describe('the incident document over the real server', () => {
	it('converges three concurrent writers and brings a late joiner up to date', async () => {
		const id = await incident('Concurrent writers');
		const writers = [connect(id), connect(id), connect(id)];
		await Promise.all(writers.map((w) => synced(w)));
		writers.forEach((w, n) => {
			for (let i = 0; i < 15; i++) {
				appendEntry(w.doc, {
					ts: Date.now() + i,
					kind: 'note',
					text: `writer ${n} note ${i}`,
					author: alice.userId
				});
				if (i % 5 === 0) addChecklistItem(w.doc, { text: `writer ${n} step ${i}` });
				postmortemOf(w.doc).insert(0, `w${n}:${i} `);
			}
		});
		// The template seeds system entries and steps; each writer adds 15 notes and 3 steps.
		const notes = (doc: Y.Doc) => readTimeline(doc).filter((e) => e.kind === 'note').length;
		await waitFor(() => writers.every((w) => notes(w.doc) === 45), { what: '45 notes everywhere' });
		await waitFor(
			() =>
				writers.every(
					(w) => JSON.stringify(snapshot(w.doc)) === JSON.stringify(snapshot(writers[0].doc))
				),
			{ what: 'identical documents' }
		);
		const late = connect(id);
		await synced(late);
		expect(snapshot(late.doc)).toEqual(snapshot(writers[0].doc));
		expect(
			postmortemOf(late.doc)
				.toString()
				.match(/w\d:\d+ /g)
		).toHaveLength(45);
	});

	it('keeps everything across a graceful restart', async () => {
		const id = await incident('Restart');
		const writer = connect(id);
		await synced(writer);
		for (let i = 0; i < 30; i++)
			appendEntry(writer.doc, {
				ts: Date.now() + i,
				kind: 'note',
				text: `before restart ${i}`,
				author: alice.userId
			});
		const first = readChecklist(writer.doc)[0];
		setChecklistDone(writer.doc, first.id, true, alice.userId);
		const watcher = connect(id);
		await waitFor(
			() =>
				readTimeline(watcher.doc).filter((e) => e.text.startsWith('before restart')).length === 30,
			{
				what: 'the watcher to see 30 notes'
			}
		);
		await waitFor(() => readTimeline(watcher.doc).some((e) => e.kind === 'checklist'), {
			what: 'the completion entry'
		});
		const before = snapshot(watcher.doc);
		writer.destroy();
		watcher.destroy();
		await server.restart();
		const after = connect(id);
		await synced(after);
		expect(snapshot(after.doc)).toEqual(before);
	});

	it('syncs edits made while disconnected exactly once after reconnecting', async () => {
		const id = await incident('Offline');
		const field = connect(id);
		const office = connect(id);
		await Promise.all([synced(field), synced(office)]);
		field.provider.disconnect();
		for (let i = 0; i < 5; i++)
			appendEntry(field.doc, {
				ts: Date.now() + i,
				kind: 'note',
				text: `offline ${i}`,
				author: alice.userId
			});
		appendEntry(office.doc, {
			ts: Date.now(),
			kind: 'note',
			text: 'meanwhile in the office',
			author: alice.userId
		});
		field.provider.connect();
		const texts = (doc: Y.Doc) => readTimeline(doc).map((e) => e.text);
		await waitFor(() => texts(office.doc).filter((t) => t.startsWith('offline')).length === 5, {
			what: 'offline notes'
		});
		await waitFor(() => texts(field.doc).includes('meanwhile in the office'), {
			what: 'office note'
		});
		// Reconnect once more: nothing is sent twice.
		field.provider.disconnect();
		field.provider.connect();
		await synced(field);
		const third = connect(id);
		await synced(third);
		expect(texts(third.doc).filter((t) => t.startsWith('offline'))).toEqual([
			'offline 0',
			'offline 1',
			'offline 2',
			'offline 3',
			'offline 4'
		]);
		expect(texts(third.doc).filter((t) => t === 'meanwhile in the office')).toHaveLength(1);
	});
});
