/**
 * The two servers under test, each a child process on its own port: Warroom's
 * production entry (temporary data directory, polled on /healthz) and the
 * reference @y/websocket-server. RSS is read from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../tests/support/server';

const ROOT = path.resolve(import.meta.dirname, '..');

export interface BenchServer {
	name: string;
	/** ws://…/yjs: the stock provider's server URL. */
	wsUrl: string;
	httpUrl: string;
	pid(): number;
	rssMb(): number;
	/** CPU time the process has used so far (all threads, user + system), ms. */
	cpuMs(): number;
	/** SIGTERM (Warroom flushes and compacts) and start again on the same port and data. */
	restart(): Promise<void>;
	stop(): Promise<void>;
}

export function rssMbOf(pid: number): number {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
	return kb / 1024;
}

/** utime + stime from /proc/<pid>/stat (fields 14 and 15, in clock ticks of 10 ms). */
export function cpuMsOf(pid: number): number {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	// The command name (field 2) may hold spaces: count fields from after its closing parenthesis.
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	const ticks = Number(fields[11]) + Number(fields[12]);
	return ticks * 10;
}

async function untilUp(url: string, child: ChildProcess, output: () => string): Promise<void> {
	const deadline = Date.now() + 60_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${output()}`);
		try {
			if ((await fetch(url)).ok) return;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) throw new Error(`server did not come up:\n${output()}`);
		await new Promise((r) => setTimeout(r, 50));
	}
}

function exited(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function managed(
	name: string,
	args: string[],
	env: Record<string, string>,
	port: number,
	healthPath: string,
	cleanup: () => void = () => {}
): Promise<BenchServer> {
	let output = '';
	let child: ChildProcess;
	const httpUrl = `http://127.0.0.1:${port}`;
	const start = async () => {
		child = spawn(process.execPath, args, {
			cwd: ROOT,
			env: { ...process.env, ...env, PORT: String(port) },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		const keep = (chunk: Buffer) => {
			output = (output + chunk.toString()).slice(-20_000);
		};
		child.stdout!.on('data', keep);
		child.stderr!.on('data', keep);
		await untilUp(httpUrl + healthPath, child, () => output);
	};
	const stop = async () => {
		child.kill('SIGTERM');
		await exited(child);
	};
	await start();
	return {
		name,
		wsUrl: `ws://127.0.0.1:${port}/yjs`,
		httpUrl,
		pid: () => child.pid!,
		rssMb: () => rssMbOf(child.pid!),
		cpuMs: () => cpuMsOf(child.pid!),
		async restart() {
			await stop();
			await start();
		},
		async stop() {
			await stop();
			cleanup();
		}
	};
}

export async function startWarroom(env: Record<string, string> = {}): Promise<BenchServer> {
	const port = await freePort();
	const dataDir = mkdtempSync(path.join(tmpdir(), 'warroom-bench-'));
	return managed(
		'warroom',
		[...(process.env.BENCH_PROFILE ? ['--cpu-prof'] : []), 'build-server/index.js'],
		{
			HOST: '127.0.0.1',
			DATA_DIR: dataDir,
			ORIGIN: `http://127.0.0.1:${port}`,
			LOG_LEVEL: 'warn',
			...env
		},
		port,
		'/healthz',
		() => rmSync(dataDir, { recursive: true, force: true })
	);
}

export async function startReference(): Promise<BenchServer> {
	const port = await freePort();
	return managed('reference', ['bench/reference-server.mjs'], {}, port, '/');
}
