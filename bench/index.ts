/**
 * `npm run bench`: Warroom against the reference y-websocket server
 * (@y/websocket-server), both driven by the stock y-websocket client. Prints
 * one table and one JSON object; exits non-zero when any delivery was lost.
 * Timings here are measurements, never assertions.
 */
import { execSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { signedUp } from '../tests/support/http';
import { connectClient, connectMany, sleep, whenSynced, type BenchClient } from './clients';
import { buildLargeIncident, storeLargeIncident, timeFirstSync } from './cold-start';
import { runConvergence } from './convergence';
import { instrument, pooled, runFanout, type FanoutResult } from './fanout';
import { pageWeight } from './page-weight';
import { startReference, startWarroom, type BenchServer } from './servers';
import { ratio, table, type Row } from './stats';

const ROOT = path.resolve(import.meta.dirname, '..');
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const ROOMS = env('BENCH_ROOMS', 20);
const CLIENTS = env('BENCH_CLIENTS', 10);
const RATE = env('BENCH_RATE', 20);
const SECONDS = env('BENCH_SECONDS', 6);
const STEP_SECONDS = env('BENCH_STEP_SECONDS', 5);
const MAX_STEPS = env('BENCH_MAX_STEPS', 5);
/** Baseline fan-out runs per server, alternating servers, so drift in the machine's load hits both. */
const ROUNDS = env('BENCH_ROUNDS', 5);
const UNLOAD_MS = 2_000;
const P99_LIMIT_MS = 100;

interface ServerRun {
	idleRssMb: number;
	loadedRssMb: number;
	afterRssMb: number;
	baseline: FanoutResult;
	/** The baseline's rounds, each on its own. */
	rounds: FanoutResult[];
	steps: FanoutResult[];
	convergence: Awaited<ReturnType<typeof runConvergence>>;
	largeFirstSyncMs: number;
	largeWarmSyncMs?: number;
}

const benchStart = Date.now();
const log = (msg: string) =>
	process.stderr.write(`[bench ${((Date.now() - benchStart) / 1000).toFixed(0)}s] ${msg}\n`);
// Each stock provider adds a process 'exit' listener; hundreds of them are expected here.
process.setMaxListeners(0);
const round = (v: number) => Math.round(v * 100) / 100;

interface Connected {
	server: BenchServer;
	byRoom: BenchClient[][];
	recorder: ReturnType<typeof instrument>;
}

async function connectRooms(server: BenchServer, rooms: string[], cookie?: string) {
	log(`${server.name}: connecting ${rooms.length} rooms × ${CLIENTS} clients`);
	const byRoom = await connectMany(server.wsUrl, rooms, CLIENTS, cookie);
	return { server, byRoom, recorder: instrument(byRoom) };
}

/** The baseline, ROUNDS times per server, the servers taking turns (W R, R W, W R, …). */
async function baselineRounds(both: Connected[]): Promise<Map<BenchServer, FanoutResult[]>> {
	const rounds = new Map(both.map((c) => [c.server, [] as FanoutResult[]]));
	for (let round = 0; round < ROUNDS; round++) {
		const order = round % 2 === 0 ? both : [...both].reverse();
		for (const { server, byRoom, recorder } of order) {
			log(`${server.name}: fan-out round ${round + 1}, ${RATE} edits/s per room for ${SECONDS} s`);
			const cpuBefore = server.cpuMs();
			const run = await runFanout(byRoom, recorder, { ratePerRoom: RATE, seconds: SECONDS });
			run.serverCpuMs = server.cpuMs() - cpuBefore;
			rounds.get(server)!.push(run);
		}
	}
	return rounds;
}

/** Doubles the rate per room until p99 passes the limit (or MAX_STEPS). */
async function stepSeries({ server, byRoom, recorder }: Connected): Promise<FanoutResult[]> {
	const steps: FanoutResult[] = [];
	for (let k = 1; k <= MAX_STEPS; k++) {
		const rate = RATE * 2 ** k;
		log(`${server.name}: step ${k}, ${rate} edits/s per room`);
		const step = await runFanout(byRoom, recorder, { ratePerRoom: rate, seconds: STEP_SECONDS });
		steps.push(step);
		if (step.p99 > P99_LIMIT_MS) break;
	}
	return steps;
}

async function convergence(server: BenchServer, room: string, cookie?: string) {
	const clients: BenchClient[] = Array.from({ length: 10 }, () =>
		connectClient(server.wsUrl, room, cookie)
	);
	await Promise.all(clients.map((c) => whenSynced(c)));
	log(`${server.name}: text convergence, 10 clients`);
	const result = await runConvergence(clients);
	for (const c of clients) c.destroy();
	return result;
}

function median(values: number[]): number {
	const s = [...values].sort((a, b) => a - b);
	const mid = Math.floor(s.length / 2);
	return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function cpuPerThousandEdits(run: ServerRun): number {
	const cpu = run.rounds.reduce((n, r) => n + (r.serverCpuMs ?? 0), 0);
	const edits = run.rounds.reduce((n, r) => n + r.sent, 0);
	return (cpu / edits) * 1000;
}

/** The write rate at which p99 first passed the limit: the baseline itself, or a step. */
function firstOver(run: ServerRun): number | null {
	if (run.baseline.p99 > P99_LIMIT_MS) return run.baseline.ratePerRoom;
	return run.steps.find((s) => s.p99 > P99_LIMIT_MS)?.ratePerRoom ?? null;
}

async function main() {
	const startedAt = Date.now();
	// Other work on this machine skews every figure here: record it with the results.
	const loadAtStart = os.loadavg();
	// BENCH_SKIP_BUILD=1 benches the build already in build/ (e.g. while sources are mid-edit).
	if (!process.env.BENCH_SKIP_BUILD) {
		execSync('node scripts/build-if-needed.js', { cwd: ROOT, stdio: 'inherit' });
	}
	const warroom = await startWarroom({ ROOM_UNLOAD_AFTER_MS: String(UNLOAD_MS) });
	const reference = await startReference();
	let exitCode = 0;
	try {
		const user = await signedUp(warroom.httpUrl, `bench${Date.now().toString(36)}`);
		const declare = async (title: string) => {
			const res = await user.post<{ id: string }>('/api/incidents', { title, severity: 'SEV3' });
			if (res.status !== 201) throw new Error(`declare failed: ${res.status}`);
			return res.body.id;
		};
		const rooms: string[] = [];
		for (let r = 0; r < ROOMS; r++) rooms.push(await declare(`Bench room ${r}`));
		const convergenceRoom = await declare('Bench convergence');
		const largeRoom = await declare('Bench large incident');
		await sleep(UNLOAD_MS + 1500); // rooms touched by declaring unload again
		const cookie = user.cookie;

		const servers = [warroom, reference];
		const cookieFor = (server: BenchServer) => (server === warroom ? cookie : undefined);
		const idleRssMb = new Map(servers.map((s) => [s, s.rssMb()]));
		const both: Connected[] = [];
		for (const server of servers) both.push(await connectRooms(server, rooms, cookieFor(server)));
		const rounds = await baselineRounds(both);
		const loadedRssMb = new Map(servers.map((s) => [s, s.rssMb()]));

		const runs: Record<string, ServerRun> = {};
		for (const connected of both) {
			const { server } = connected;
			const steps = await stepSeries(connected);
			for (const c of connected.byRoom.flat()) c.destroy();
			await sleep(UNLOAD_MS + 3000); // every client gone; Warroom unloads its rooms
			const afterRssMb = server.rssMb();
			const conv = await convergence(server, convergenceRoom, cookieFor(server));
			runs[server.name] = {
				idleRssMb: idleRssMb.get(server)!,
				loadedRssMb: loadedRssMb.get(server)!,
				afterRssMb,
				baseline: pooled(rounds.get(server)!),
				rounds: rounds.get(server)!,
				steps,
				convergence: conv,
				largeFirstSyncMs: NaN
			};
		}

		log('building the large incident (10,000 entries, 100,000 text edits)');
		const large = buildLargeIncident();
		log(
			`large incident: ${(large.stateBytes / 1e6).toFixed(2)} MB, ${large.updates.length} updates`
		);
		const inReference = await storeLargeIncident(reference.wsUrl, largeRoom, large);
		runs.reference.largeFirstSyncMs = await timeFirstSync(reference.wsUrl, largeRoom, inReference);
		const inWarroom = await storeLargeIncident(warroom.wsUrl, largeRoom, large, cookie);
		log('restarting Warroom so the large incident loads from storage');
		await warroom.restart();
		runs.warroom.largeFirstSyncMs = await timeFirstSync(
			warroom.wsUrl,
			largeRoom,
			inWarroom,
			cookie
		);
		runs.warroom.largeWarmSyncMs = await timeFirstSync(warroom.wsUrl, largeRoom, inWarroom, cookie);

		log('page weight');
		const weigh = (page: string) =>
			pageWeight(warroom.httpUrl, page, cookie).catch((err: Error) => {
				log(`page weight of ${page} failed: ${err.message}`);
				return { files: [], rawBytes: NaN, gzipBytes: NaN, error: err.message };
			});
		const pages = {
			exec: await weigh(`/incidents/${rooms[0]}/exec`),
			warRoom: await weigh(`/incidents/${rooms[0]}`)
		};

		const w = runs.warroom;
		const ref = runs.reference;
		const b = (r: ServerRun) => r.baseline;
		const rows: Row[] = [
			{
				figure: `fan-out p50 (${ROOMS}×${CLIENTS} @ ${RATE}/s, ${ROUNDS}×${SECONDS} s)`,
				unit: 'ms',
				warroom: b(w).p50,
				reference: b(ref).p50
			},
			{ figure: 'fan-out p95', unit: 'ms', warroom: b(w).p95, reference: b(ref).p95 },
			{
				figure: 'fan-out p99',
				unit: 'ms',
				warroom: b(w).p99,
				reference: b(ref).p99,
				note: `ratio per round: ${w.rounds.map((r, i) => `${(r.p99 / ref.rounds[i].p99).toFixed(2)}×`).join(', ')}`
			},
			{
				figure: 'fan-out p99, median round',
				unit: 'ms',
				warroom: median(w.rounds.map((r) => r.p99)),
				reference: median(ref.rounds.map((r) => r.p99)),
				note: `median of the per-round ratios: ${median(w.rounds.map((r, i) => r.p99 / ref.rounds[i].p99)).toFixed(2)}×`
			},
			{ figure: 'fan-out max', unit: 'ms', warroom: b(w).max, reference: b(ref).max },
			{
				figure: 'server CPU per 1,000 edits',
				unit: 'ms',
				warroom: cpuPerThousandEdits(w),
				reference: cpuPerThousandEdits(ref),
				note: 'all threads, over the baseline rounds (each edit reaches 9 clients)'
			},
			{
				figure: 'deliveries',
				unit: '/s',
				warroom: b(w).deliveriesPerSec,
				reference: b(ref).deliveriesPerSec
			},
			{
				figure: 'edits sent per room',
				unit: '/s',
				warroom: b(w).sent / ROOMS / (SECONDS + 1) / ROUNDS,
				reference: b(ref).sent / ROOMS / (SECONDS + 1) / ROUNDS,
				note: `target ${RATE}/s; lower means this process could not keep up`
			},
			{
				figure: 'lost deliveries (all runs)',
				unit: 'count',
				warroom: [b(w), ...w.steps].reduce((n, s) => n + s.lost, 0),
				reference: [b(ref), ...ref.steps].reduce((n, s) => n + s.lost, 0)
			}
		];
		const stepCount = Math.max(w.steps.length, ref.steps.length);
		for (let k = 0; k < stepCount; k++) {
			const ws = w.steps[k];
			const rs = ref.steps[k];
			rows.push({
				figure: `step ${k + 1}: p99 @ ${RATE * 2 ** (k + 1)}/s per room`,
				unit: 'ms',
				warroom: ws?.p99 ?? null,
				reference: rs?.p99 ?? null,
				note: `deliveries/s ${ws ? ws.deliveriesPerSec.toFixed(0) : '—'} vs ${rs ? rs.deliveriesPerSec.toFixed(0) : '—'}`
			});
		}
		rows.push(
			{
				figure: 'edits/s per room where p99 > 100 ms',
				unit: 'edits/s',
				warroom: firstOver(w),
				reference: firstOver(ref),
				note: 'baseline or first step past it; — = never within the steps run'
			},
			{
				figure: 'text convergence p50 (10 clients)',
				unit: 'ms',
				warroom: w.convergence.p50,
				reference: ref.convergence.p50
			},
			{
				figure: 'text convergence max',
				unit: 'ms',
				warroom: w.convergence.max,
				reference: ref.convergence.max
			},
			{
				figure: 'large incident: connect → synced',
				unit: 'ms',
				warroom: w.largeFirstSyncMs,
				reference: ref.largeFirstSyncMs,
				note: 'Warroom: cold, loaded from storage after a restart; reference: in memory (it stores nothing)'
			},
			{
				figure: 'large incident: join while loaded',
				unit: 'ms',
				warroom: w.largeWarmSyncMs ?? null,
				reference: ref.largeFirstSyncMs
			},
			{ figure: 'RSS, no rooms', unit: 'MB', warroom: w.idleRssMb, reference: ref.idleRssMb },
			{
				figure: 'RSS per loaded room (+10 clients)',
				unit: 'MB',
				warroom: (w.loadedRssMb - w.idleRssMb) / ROOMS,
				reference: (ref.loadedRssMb - ref.idleRssMb) / ROOMS
			},
			{
				figure: 'RSS after all left',
				unit: 'MB',
				warroom: w.afterRssMb,
				reference: ref.afterRssMb,
				note: 'Warroom unloads empty rooms; the reference keeps every document'
			},
			{
				figure: 'exec page JS (gzip)',
				unit: 'KB',
				warroom: pages.exec.gzipBytes / 1024,
				reference: null,
				note: `${pages.exec.files.length} files`
			},
			{
				figure: 'war-room page JS (gzip)',
				unit: 'KB',
				warroom: pages.warRoom.gzipBytes / 1024,
				reference: null,
				note: `${pages.warRoom.files.length} files`
			}
		);

		const lostRow = rows.find((r) => r.figure.startsWith('lost deliveries'))!;
		const lost = lostRow.warroom! + lostRow.reference!;
		const result = {
			machine: {
				cpus: os.cpus().length,
				cpu: os.cpus()[0]?.model,
				node: process.version,
				loadAverageAtStart: loadAtStart,
				loadAverageAtEnd: os.loadavg()
			},
			config: {
				rooms: ROOMS,
				clientsPerRoom: CLIENTS,
				ratePerRoom: RATE,
				seconds: SECONDS,
				rounds: ROUNDS
			},
			largeIncident: { entries: large.entries, textOps: 100_000, stateBytes: large.stateBytes },
			warroom: w,
			reference: ref,
			pages,
			ratios: Object.fromEntries(
				rows.map((r) => [r.figure, ratio(r) === null ? null : round(ratio(r)!)])
			),
			lostDeliveries: lost,
			seconds: Math.round((Date.now() - startedAt) / 1000)
		};
		console.log(table(rows));
		console.log();
		console.log(
			JSON.stringify(result, (k, v) =>
				k === 'samples' ? undefined : typeof v === 'number' ? round(v) : v
			)
		);
		if (lost > 0) {
			console.error(`\n!!! ${lost} DELIVERIES LOST: some client never received an entry !!!`);
			exitCode = 1;
		}
	} finally {
		await warroom.stop();
		await reference.stop();
	}
	process.exit(exitCode);
}

main().catch((err) => {
	console.error(err);
	process.exit(1);
});
