/**
 * SIGKILL in the middle of continuous writing: nothing any client saw is
 * lost, clients reconnect on their own (resending what they wrote meanwhile)
 * and converge. One writer dies together with the server; whatever of its
 * writes reached another client must survive, because the server stores
 * every update before it broadcasts it.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { appendEntry, postmortemOf, readTimeline } from '../../src/lib/doc/incident-doc';
import { signedUp } from '../support/http';
import { prng, testSeed } from '../support/prng';
import { startServer, type TestServer } from '../support/server';
import { waitFor } from '../support/wait';
import { docView, sameView, stockClient, synced, type StockClient } from '../support/yjs-client';

const SEED = testSeed(0xc4a5);
let server: TestServer;

beforeAll(async () => {
	server = await startServer();
});
afterAll(async () => {
	await server?.dispose();
});

const ids = (c: StockClient) => new Set(readTimeline(c.doc).map((e) => e.id));

/** Writes a timeline entry and a postmortem marker now and then, at seeded random moments. */
function keepWriting(c: StockClient, name: string, random: ReturnType<typeof prng>) {
	let n = 0;
	let timer: NodeJS.Timeout;
	const written: string[] = [];
	const tick = () => {
		const id = `${name}-${n++}`;
		appendEntry(c.doc, { id, ts: Date.now(), kind: 'note', text: `note ${id}`, author: name });
		if (random.next() < 0.5) {
			const text = postmortemOf(c.doc);
			text.insert(random.int(text.length + 1), `[${id}]`);
		}
		written.push(id);
		timer = setTimeout(tick, 5 + random.int(40));
	};
	tick();
	return { written, stop: () => clearTimeout(timer) };
}

it('loses nothing any client saw when the server is SIGKILLed twice mid-write', async () => {
	const random = prng(SEED);
	const alice = await signedUp(server.url, 'crashalice');
	const incident = await alice.post<{ id: string }>('/api/incidents', {
		title: 'Crash drill',
		severity: 'SEV2'
	});
	const incidentId = incident.body.id;
	const names = ['dies', 'b', 'c', 'd'];
	const clients = names.map(() => stockClient(server.port, incidentId, alice.cookie));
	await Promise.all(clients.map((c) => synced(c)));
	const [doomed, ...survivors] = clients;
	const writers = clients.map((c, i) => keepWriting(c, names[i], random));
	const mustSurvive = new Set<string>();

	for (let round = 0; round < 2; round++) {
		// Let writes flow through the server for a while (at least something reached everyone).
		const before = Math.min(...survivors.map((c) => ids(c).size));
		await waitFor(() => survivors.every((c) => ids(c).size > before + 20), {
			what: 'writes flowing',
			timeoutMs: 20_000
		});
		await new Promise((r) => setTimeout(r, random.int(300)));

		// What anyone holds at the instant of the kill: all of it must survive.
		for (const c of survivors) for (const id of ids(c)) mustSurvive.add(id);
		const killed = server.kill();
		if (round === 0) {
			// This writer crashes together with the server: only what reached others must survive.
			writers[0].stop();
			doomed.destroy();
		}
		await killed;
		await new Promise((r) => setTimeout(r, 100 + random.int(400))); // survivors write offline
		await server.restart();
		await waitFor(() => survivors.every((c) => c.provider.wsconnected && c.provider.synced), {
			what: 'clients reconnected on their own',
			timeoutMs: 20_000
		});
	}

	for (const w of writers.slice(1)) w.stop();
	for (const w of writers.slice(1)) for (const id of w.written) mustSurvive.add(id);
	const doomedSeen = [...mustSurvive].filter((id) => id.startsWith('dies-'));

	await waitFor(() => survivors.every((c) => sameView(c.doc, survivors[0].doc)), {
		what: 'survivors converge',
		timeoutMs: 20_000
	});
	await waitFor(() => [...mustSurvive].every((id) => ids(survivors[0]).has(id)), {
		what: 'every seen entry present',
		timeoutMs: 20_000
	});

	// And it is stored: a graceful restart and a fresh client see exactly what the survivors hold.
	const held = docView(survivors[0].doc);
	for (const c of survivors) c.destroy();
	await server.restart();
	const fresh = stockClient(server.port, incidentId, alice.cookie);
	await synced(fresh);
	const stored = docView(fresh.doc);
	fresh.destroy();

	expect(stored).toEqual(held);
	const storedIds = new Set(stored.timeline.map((e) => e.id));
	expect([...mustSurvive].filter((id) => !storedIds.has(id))).toEqual([]);
	// The doomed writer's entries that reached others before the kill are among them.
	expect(doomedSeen.length).toBeGreaterThan(0);
	// No postmortem marker was duplicated by the resends (updates are idempotent).
	const typed = stored.postmortem.match(/\[[a-z]+-\d+\]/g) ?? [];
	expect(typed.length).toBeGreaterThan(0);
	expect(new Set(typed).size).toBe(typed.length);
}, 120_000);
