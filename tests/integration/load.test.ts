/**
 * 300 stock clients in 30 rooms for a minute, a few writers per room: no
 * client misses any entry, and once everyone leaves every room unloads and
 * memory comes back near where it started. A leak check, not a timing check.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { appendEntry, readTimeline } from '../../src/lib/doc/incident-doc';
import { signedUp } from '../support/http';
import { prng, testSeed } from '../support/prng';
import { startServer, type TestServer } from '../support/server';
import { stockClient, synced, type StockClient } from '../support/yjs-client';
import { waitFor } from '../support/wait';

const SEED = testSeed(0x10ad);
// Each stock provider adds a process 'exit' listener; 300 of them are expected here.
process.setMaxListeners(0);
const ROOMS = 30;
const CLIENTS_PER_ROOM = 10;
const WRITERS_PER_ROOM = 3;
const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const UNLOAD_AFTER_MS = 1_000;

let server: TestServer;

beforeAll(async () => {
	server = await startServer({ env: { ROOM_UNLOAD_AFTER_MS: String(UNLOAD_AFTER_MS) } });
});
afterAll(async () => {
	await server?.dispose();
});

const rssMb = () =>
	Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid()}/status`, 'utf8'))![1]) / 1024;

/** Log events of one kind, from the server's structured output. */
function events(name: string): Record<string, unknown>[] {
	return server
		.output()
		.split('\n')
		.filter((line) => line.includes(`"event":"${name}"`))
		.map((line) => JSON.parse(line) as Record<string, unknown>);
}

it('300 clients in 30 rooms for a minute: nothing lost, rooms unload, memory comes back', async () => {
	const random = prng(SEED);
	const alice = await signedUp(server.url, 'loadalice');
	const rooms: string[] = [];
	for (let r = 0; r < ROOMS; r++) {
		const res = await alice.post<{ id: string }>('/api/incidents', {
			title: `Load room ${r}`,
			severity: 'SEV3'
		});
		rooms.push(res.body.id);
	}
	// Declaring touches each room; let them unload so the baseline holds no rooms.
	await waitFor(() => events('yjs.room_unloaded').length >= events('yjs.room_loaded').length, {
		what: 'declared rooms unloaded',
		timeoutMs: 30_000
	});
	const startRss = rssMb();

	const byRoom: StockClient[][] = [];
	for (const room of rooms) {
		const clients = Array.from({ length: CLIENTS_PER_ROOM }, () =>
			stockClient(server.port, room, alice.cookie, { maxBackoffTime: 1000 })
		);
		byRoom.push(clients);
		await Promise.all(clients.map((c) => synced(c, 60_000)));
	}

	// A few writers per room, each writing every 1–3 s (about 45 entries/s in all).
	const written: string[][] = rooms.map(() => []);
	const timers: NodeJS.Timeout[] = [];
	let stopped = false;
	byRoom.forEach((clients, r) => {
		for (let w = 0; w < WRITERS_PER_ROOM; w++) {
			const writer = clients[w];
			let n = 0;
			const write = () => {
				if (stopped) return;
				const id = `r${r}-w${w}-${n++}`;
				appendEntry(writer.doc, { id, ts: Date.now(), kind: 'note', text: id, author: `w${w}` });
				written[r].push(id);
				timers.push(setTimeout(write, 1000 + random.int(2000)));
			};
			timers.push(setTimeout(write, random.int(2000)));
		}
	});
	await new Promise((r) => setTimeout(r, SECONDS * 1000));
	stopped = true;
	for (const t of timers) clearTimeout(t);

	const missing = () =>
		byRoom.flatMap((clients, r) => {
			return clients.flatMap((c) => {
				const have = new Set(readTimeline(c.doc).map((e) => e.id));
				return written[r].filter((id) => !have.has(id));
			});
		});
	await waitFor(() => missing().length === 0, {
		what: 'every client has every entry',
		timeoutMs: 60_000
	});
	const total = written.reduce((n, w) => n + w.length, 0);
	expect(total).toBeGreaterThan(ROOMS * WRITERS_PER_ROOM * (SECONDS / 3));
	expect(missing()).toEqual([]);
	// Nobody was dropped along the way (a slow client would have been closed with 1013).
	expect(byRoom.flat().flatMap((c) => c.closes)).toEqual([]);

	const peakRss = rssMb();
	for (const c of byRoom.flat()) c.destroy();

	// Every connection gone and every room unloaded, as the server's own log tells it.
	const forOurRooms = (name: string) =>
		events(name).filter((e) => rooms.includes(e.incidentId as string));
	await waitFor(
		() => forOurRooms('yjs.disconnected').length === forOurRooms('yjs.connected').length,
		{ what: 'all connections closed', timeoutMs: 30_000 }
	);
	await waitFor(
		() => forOurRooms('yjs.room_unloaded').length === forOurRooms('yjs.room_loaded').length,
		{ what: 'all rooms unloaded', timeoutMs: 30_000 }
	);
	expect(forOurRooms('yjs.connected').length).toBeGreaterThanOrEqual(ROOMS * CLIENTS_PER_ROOM);
	const lastEventPerRoom = rooms.map((room) => {
		const mine = events('yjs.room_loaded')
			.concat(events('yjs.room_unloaded'))
			.filter((e) => e.incidentId === room)
			.sort((a, b) => String(a.t).localeCompare(String(b.t)));
		return mine[mine.length - 1]?.event;
	});
	expect(new Set(lastEventPerRoom)).toEqual(new Set(['yjs.room_unloaded']));

	// Memory: give the collector a moment, then a generous bound (a leak grows without one).
	let endRss = rssMb();
	await waitFor(
		() => {
			endRss = rssMb();
			return endRss < startRss * 2 + 100;
		},
		{ what: `RSS back near start (${startRss.toFixed(0)} MB)`, timeoutMs: 30_000, intervalMs: 500 }
	);
	console.info(
		`load: ${total} entries, RSS start ${startRss.toFixed(0)} MB, peak ${peakRss.toFixed(0)} MB, end ${endRss.toFixed(0)} MB`
	);
	expect(endRss).toBeLessThan(startRss * 2 + 100);
}, 240_000);
