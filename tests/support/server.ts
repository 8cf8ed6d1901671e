/**
 * Starts the real production server (`build-server/index.js`, compiled from
 * `server/` by global-setup, over the built app)
 * as a child process on a free port with a temporary data directory, the way
 * an operator runs it. Restart and SIGKILL keep the port and data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

export interface TestServer {
	url: string;
	port: number;
	dataDir: string;
	/** Everything the process printed, for assertions on log lines. */
	output(): string;
	/** The current server process id (changes on restart), e.g. to read its RSS from /proc. */
	pid(): number;
	/** SIGTERM and wait for exit. */
	stop(): Promise<void>;
	/** SIGKILL: no chance to flush anything. */
	kill(): Promise<void>;
	/** Start again on the same port and data directory. */
	restart(): Promise<void>;
	/** Stop and remove the data directory. */
	dispose(): Promise<void>;
}

export interface StartOptions {
	env?: Record<string, string>;
	dataDir?: string;
}

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const address = srv.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			srv.close(() => resolve(port));
		});
	});
}

function launch(port: number, dataDir: string, env: Record<string, string>) {
	const child = spawn(process.execPath, ['build-server/index.js'], {
		cwd: ROOT,
		env: {
			...process.env,
			PORT: String(port),
			HOST: '127.0.0.1',
			DATA_DIR: dataDir,
			ORIGIN: `http://127.0.0.1:${port}`,
			// The harness waits for the info-level "server.listening" line.
			LOG_LEVEL: 'info',
			...env
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	let listening = false;
	const ready = new Promise<void>((resolve, reject) => {
		const onData = (chunk: Buffer) => {
			output += chunk.toString();
			// Look only until found, and only near the end: rescanning all output per chunk is quadratic.
			if (!listening && output.slice(-4096 - chunk.length).includes('"event":"server.listening"')) {
				listening = true;
				resolve();
			}
		};
		child.stdout!.on('data', onData);
		child.stderr!.on('data', (chunk: Buffer) => {
			output += chunk.toString();
			if (process.env.TEST_SHOW_SERVER) process.stderr.write(chunk);
		});
		child.once('exit', (code) => reject(new Error(`server exited early (${code}):\n${output}`)));
	});
	return { child, ready, output: () => output };
}

function exited(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startServer(options: StartOptions = {}): Promise<TestServer> {
	const port = await freePort();
	const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'warroom-test-'));
	const env = options.env ?? {};
	let current = launch(port, dataDir, env);
	let previousOutput = '';
	await current.ready;
	const server: TestServer = {
		url: `http://127.0.0.1:${port}`,
		port,
		dataDir,
		output: () => previousOutput + current.output(),
		pid: () => current.child.pid!,
		async stop() {
			current.child.kill('SIGTERM');
			await exited(current.child);
		},
		async kill() {
			current.child.kill('SIGKILL');
			await exited(current.child);
		},
		async restart() {
			await server.stop();
			previousOutput += current.output();
			current = launch(port, dataDir, env);
			await current.ready;
		},
		async dispose() {
			await server.stop();
			if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
		}
	};
	return server;
}
