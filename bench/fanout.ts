/**
 * Fan-out latency: one writer per room appends timeline entries at a fixed
 * rate; every other client in the room times each entry's arrival against the
 * send time carried in the entry's `ts`. All clients live in this process, so
 * they share one clock.
 */
import * as Y from 'yjs';
import { newId, timelineOf } from '../src/lib/doc/incident-doc';
import { sleep, until, type BenchClient } from './clients';
import { latency, type Latency } from './stats';

export interface FanoutResult extends Latency {
	/** Every arrival's latency (ms); dropped from the printed JSON. */
	samples: number[];
	ratePerRoom: number;
	rooms: number;
	clientsPerRoom: number;
	sent: number;
	deliveriesPerSec: number;
	lost: number;
	/** CPU the server used during the run (set by the caller), ms. */
	serverCpuMs?: number;
}

const now = () => performance.timeOrigin + performance.now();

/**
 * Calls `found` with each timeline entry a transaction inserted. Walks only the
 * structs the transaction added: `event.changes` (and `event.delta`) walk the
 * whole array on every event, which made the bench itself slower with every
 * round as timelines grew, until it could not keep up with either server.
 */
function onNewEntries(doc: Y.Doc, found: (entry: Y.Map<unknown>) => void): void {
	const timeline = timelineOf(doc);
	doc.on('afterTransaction', (tr: Y.Transaction) => {
		tr.afterState.forEach((clock, client) => {
			const before = tr.beforeState.get(client) ?? 0;
			if (clock <= before) return;
			const structs = doc.store.clients.get(client);
			if (!structs) return;
			for (let i = Y.findIndexSS(structs, before); i < structs.length; i++) {
				const struct = structs[i];
				if (
					struct instanceof Y.Item &&
					struct.parent === timeline &&
					struct.content instanceof Y.ContentType
				) {
					found(struct.content.type as Y.Map<unknown>);
				}
			}
		});
	});
}

/** Listens on every non-writer client; returns the recorder the runs share. */
export function instrument(byRoom: BenchClient[][]) {
	let samples: number[] = [];
	let measuring = false;
	const received = new Map<string, number>();
	for (const clients of byRoom) {
		for (const c of clients.slice(1)) {
			onNewEntries(c.doc, (map) => {
				const t = now();
				const id = map.get('id') as string;
				received.set(id, (received.get(id) ?? 0) + 1);
				if (measuring) samples.push(t - (map.get('ts') as number));
			});
		}
	}
	return {
		received,
		start() {
			samples = [];
			measuring = true;
		},
		stop() {
			measuring = false;
			return samples;
		}
	};
}

export async function runFanout(
	byRoom: BenchClient[][],
	recorder: ReturnType<typeof instrument>,
	{
		ratePerRoom,
		seconds,
		warmupSeconds = 1
	}: { ratePerRoom: number; seconds: number; warmupSeconds?: number }
): Promise<FanoutResult> {
	const sentIds: string[] = [];
	const interval = 1000 / ratePerRoom;
	const timers: NodeJS.Timeout[] = [];
	byRoom.forEach((clients, r) => {
		const writer = clients[0];
		const author = `writer-${r}`;
		const write = () => {
			const id = newId();
			sentIds.push(id);
			const entry = new Y.Map<unknown>();
			entry.set('id', id);
			entry.set('kind', 'note');
			entry.set('text', `load entry ${sentIds.length} in room ${r}`);
			entry.set('author', author);
			entry.set('ts', now());
			timelineOf(writer.doc).push([entry]);
		};
		// Stagger the rooms across one interval so writes do not all land in the same tick.
		timers.push(
			setTimeout(() => timers.push(setInterval(write, interval)), (interval * r) / byRoom.length)
		);
	});
	await sleep(warmupSeconds * 1000);
	recorder.start();
	const started = now();
	await sleep(seconds * 1000);
	const samples = recorder.stop();
	const elapsed = (now() - started) / 1000;
	for (const t of timers) clearInterval(t);
	const receivers = byRoom[0].length - 1;
	const delivered = (id: string) => recorder.received.get(id) ?? 0;
	await until(() => sentIds.every((id) => delivered(id) >= receivers), 15_000, 50);
	const lost = sentIds.reduce((n, id) => n + Math.max(0, receivers - delivered(id)), 0);
	return {
		...latency(samples),
		samples,
		ratePerRoom,
		rooms: byRoom.length,
		clientsPerRoom: byRoom[0].length,
		sent: sentIds.length,
		deliveriesPerSec: samples.length / elapsed,
		lost
	};
}

/**
 * Several runs of the same configuration as one: percentiles over all their
 * arrivals together, counts summed, rates averaged.
 */
export function pooled(runs: FanoutResult[]): FanoutResult {
	const samples = runs.flatMap((r) => r.samples);
	const sum = (f: (r: FanoutResult) => number) => runs.reduce((n, r) => n + f(r), 0);
	return {
		...latency(samples),
		samples,
		ratePerRoom: runs[0].ratePerRoom,
		rooms: runs[0].rooms,
		clientsPerRoom: runs[0].clientsPerRoom,
		sent: sum((r) => r.sent),
		deliveriesPerSec: sum((r) => r.deliveriesPerSec) / runs.length,
		lost: sum((r) => r.lost)
	};
}
