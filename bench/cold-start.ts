/**
 * A large incident: 10,000 timeline entries and a postmortem with 100,000
 * edit operations (typing and backspacing at a cursor that jumps now and
 * then; history kept, as Warroom keeps it for versions). Built
 * once here, then sent to a server through a stock client in small updates,
 * so each server stores it its own way.
 */
import * as Y from 'yjs';
import {
	newIncidentDoc,
	postmortemOf,
	readTimeline,
	timelineOf
} from '../src/lib/doc/incident-doc';
import { connectClient, until, whenSynced } from './clients';

export interface LargeIncident {
	updates: Uint8Array[];
	entries: number;
	textLength: number;
	stateBytes: number;
}

export function buildLargeIncident({
	entries = 10_000,
	textOps = 100_000,
	seed = 7
} = {}): LargeIncident {
	let state = seed;
	const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
	const doc = newIncidentDoc();
	const updates: Uint8Array[] = [];
	doc.on('update', (u: Uint8Array) => updates.push(u));
	const timeline = timelineOf(doc);
	for (let i = 0; i < entries; i += 500) {
		doc.transact(() => {
			for (let k = i; k < Math.min(entries, i + 500); k++) {
				const m = new Y.Map<unknown>();
				m.set('id', `e${k}`);
				m.set('ts', 1_764_000_000_000 + k * 1000);
				m.set('kind', 'note');
				m.set('text', `Timeline entry ${k}: checked the dashboards, error rate still elevated`);
				m.set('author', `user${k % 7}`);
				timeline.push([m]);
			}
		});
	}
	// Someone writing: type at a cursor, backspace now and then, jump elsewhere now and then.
	const text = postmortemOf(doc);
	let cursor = 0;
	for (let i = 0; i < textOps; i += 1000) {
		doc.transact(() => {
			for (let k = 0; k < 1000; k++) {
				if (random() < 0.03) cursor = Math.floor(random() * (text.length + 1));
				if (cursor > 0 && random() < 0.15) {
					text.delete(--cursor, 1);
				} else {
					text.insert(cursor++, 'abcdefghij '[k % 11]);
				}
			}
		});
	}
	const result = {
		updates,
		entries,
		textLength: text.length,
		stateBytes: Y.encodeStateAsUpdate(doc).byteLength
	};
	doc.destroy();
	return result;
}

/** Sends the incident through one client; resolves once a second client syncs all of it back. */
export async function storeLargeIncident(
	serverUrl: string,
	room: string,
	incident: LargeIncident,
	cookie?: string
): Promise<{ entries: number; textLength: number }> {
	const writer = connectClient(serverUrl, room, cookie);
	await whenSynced(writer);
	// Warroom's incident already holds its "declared" system entry.
	const expected = {
		entries: timelineOf(writer.doc).length + incident.entries,
		textLength: postmortemOf(writer.doc).length + incident.textLength
	};
	for (const u of incident.updates) Y.applyUpdate(writer.doc, u);
	const ok = await until(() => {
		const ws = writer.provider.ws as unknown as { bufferedAmount?: number } | null;
		return (ws?.bufferedAmount ?? 0) === 0;
	}, 60_000);
	if (!ok) throw new Error('large incident did not leave the client');
	const check = connectClient(serverUrl, room, cookie);
	await whenSynced(check);
	const complete = () =>
		timelineOf(check.doc).length === expected.entries &&
		postmortemOf(check.doc).length === expected.textLength;
	// The reference answers sync before it has applied everything the writer sent: wait for updates.
	if (!(await until(complete, 60_000, 50))) {
		throw new Error(
			`server did not hold the large incident: ${readTimeline(check.doc).length} entries`
		);
	}
	check.destroy();
	writer.destroy();
	return expected;
}

/** Time from a fresh client's connect to its first sync, with the whole incident in hand. */
export async function timeFirstSync(
	serverUrl: string,
	room: string,
	expected: { entries: number; textLength: number },
	cookie?: string
): Promise<number> {
	const started = performance.now();
	const c = connectClient(serverUrl, room, cookie);
	await whenSynced(c, 120_000);
	const ms = performance.now() - started;
	const whole =
		timelineOf(c.doc).length === expected.entries &&
		postmortemOf(c.doc).length === expected.textLength;
	c.destroy();
	if (!whole) throw new Error('first sync did not carry the whole incident');
	return ms;
}
