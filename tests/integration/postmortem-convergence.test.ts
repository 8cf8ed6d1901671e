/**
 * Three stock y-websocket clients edit the postmortem concurrently (random
 * inserts and deletes from a seeded PRNG) through the real server: all three
 * converge to the same text, and after a restart the stored document is the
 * same too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postmortemOf } from '../../src/lib/doc/incident-doc';
import { signedUp, type ApiClient } from '../support/http';
import { startServer, type TestServer } from '../support/server';
import { waitFor } from '../support/wait';
import { sameState, seededRandom, yjsClient, type YjsClient } from '../support/postmortem-clients';

let server: TestServer;
let people: (ApiClient & { userId: string; username: string })[];
const clients: YjsClient[] = [];

beforeAll(async () => {
	server = await startServer();
	people = [
		await signedUp(server.url, 'carol'),
		await signedUp(server.url, 'dave'),
		await signedUp(server.url, 'erin')
	];
});

afterAll(async () => {
	for (const c of clients) c.destroy();
	await server?.dispose();
});

function connect(incidentId: string, person: (typeof people)[number]): YjsClient {
	const c = yjsClient(server.port, incidentId, person.cookie, {
		id: person.userId,
		name: person.username
	});
	clients.push(c);
	return c;
}

const SEED = Number(process.env.POSTMORTEM_SEED ?? 20261128);

describe('postmortem convergence', () => {
	it(`three concurrent editors converge, and the stored text survives a restart (seed ${SEED})`, async () => {
		const created = await people[0].post<{ id: string }>('/api/incidents', {
			title: 'Convergence',
			severity: 'SEV3'
		});
		expect(created.status).toBe(201);
		const incidentId = created.body.id;
		const editors = people.map((p) => connect(incidentId, p));
		await Promise.all(editors.map((e) => e.synced));

		const random = seededRandom(SEED);
		const words = ['cache ', 'deploy ', 'rollback ', 'p99 ', 'ñandú ', '🔥 ', '\n## ', 'x'];
		for (let op = 0; op < 600; op++) {
			const editor = editors[Math.floor(random() * editors.length)];
			const text = postmortemOf(editor.doc);
			if (text.length > 20 && random() < 0.35) {
				const at = Math.floor(random() * text.length);
				text.delete(at, Math.min(1 + Math.floor(random() * 6), text.length - at));
			} else {
				const at = Math.floor(random() * (text.length + 1));
				text.insert(at, words[Math.floor(random() * words.length)]);
			}
			// Let frames cross the wire now and then, so edits race with updates in flight.
			if (random() < 0.2) await new Promise((r) => setImmediate(r));
		}

		await waitFor(
			() => {
				const [a, b, c] = editors.map((e) => postmortemOf(e.doc).toString());
				return (
					a === b &&
					b === c &&
					sameState(editors[0].doc, editors[1].doc) &&
					sameState(editors[1].doc, editors[2].doc)
				);
			},
			{ timeoutMs: 20_000, what: 'three editors to converge' }
		);
		const converged = postmortemOf(editors[0].doc).toString();
		expect(converged.length).toBeGreaterThan(0);
		for (const e of editors) expect(postmortemOf(e.doc).toString()).toBe(converged);

		// The export reads the server's own copy.
		const exported = await fetch(`${server.url}/incidents/${incidentId}/postmortem.md`, {
			headers: { cookie: people[1].cookie }
		});
		expect(await exported.text()).toBe(converged);

		for (const e of editors) e.provider.destroy();
		await server.restart();

		const after = connect(incidentId, people[2]);
		await after.synced;
		expect(postmortemOf(after.doc).toString()).toBe(converged);
		expect(sameState(after.doc, editors[0].doc)).toBe(true);
	});
});
