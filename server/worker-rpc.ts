/**
 * Request/reply with a worker thread, for work that must not run on the event
 * loop that serves live rooms (see folder.ts and sqlite-log-writer.ts). The
 * client starts its worker on first use and again after it dies; a request in
 * flight when it dies fails, it is never silently dropped.
 */
import { parentPort, Worker } from 'node:worker_threads';
import { log } from '../src/lib/server/log';

/**
 * Whether this is the compiled server (scripts/build-server.js puts each worker
 * beside it as `<name>.js`) rather than the TypeScript sources (tests, dev),
 * whose workers start through worker-entry.js.
 */
const COMPILED = !import.meta.url.endsWith('.ts');

type Reply<R> =
	{ id: number; ok: true; body: R } | { id: number; ok: false; name: string; message: string };

/** An error from the worker, with the name it had there (e.g. `CorruptStateError`). */
export class WorkerError extends Error {
	constructor(name: string, message: string) {
		super(message);
		this.name = name;
	}
}

interface Pending<R> {
	resolve: (body: R) => void;
	reject: (err: Error) => void;
}

export class WorkerClient<Q, R> {
	private worker: Worker | null = null;
	private readonly pending = new Map<number, Pending<R>>();
	private nextId = 1;

	/**
	 * @param module the worker's TypeScript module, relative to server/ (`./name.ts`)
	 * @param data more workerData for it
	 */
	constructor(
		private readonly module: string,
		private readonly data: Record<string, unknown> = {}
	) {}

	request(body: Q, transfer: ArrayBuffer[] = []): Promise<R> {
		const worker = this.worker ?? this.start();
		const id = this.nextId++;
		return new Promise<R>((resolve, reject) => {
			// Keep the process alive while a request is in flight (a shutdown storing rooms), not when idle.
			if (this.pending.size === 0) worker.ref();
			this.pending.set(id, { resolve, reject });
			worker.postMessage({ id, body }, transfer);
		});
	}

	async close(): Promise<void> {
		const worker = this.worker;
		this.worker = null;
		for (const waiting of this.pending.values()) waiting.reject(new Error('worker closed'));
		this.pending.clear();
		await worker?.terminate();
	}

	private start(): Worker {
		const worker = COMPILED
			? new Worker(new URL(this.module.replace(/\.ts$/, '.js'), import.meta.url), {
					workerData: this.data
				})
			: new Worker(new URL('./worker-entry.js', import.meta.url), {
					workerData: { ...this.data, module: this.module }
				});
		worker.unref();
		worker.on('message', (reply: Reply<R>) => {
			const waiting = this.pending.get(reply.id);
			if (!waiting) return;
			this.pending.delete(reply.id);
			if (this.pending.size === 0) worker.unref();
			if (reply.ok) waiting.resolve(reply.body);
			else waiting.reject(new WorkerError(reply.name, reply.message));
		});
		const fail = (err: Error) => {
			if (this.worker !== worker) return; // closed on purpose, or already replaced
			log.error('worker.failed', { module: this.module, pending: this.pending.size, err });
			this.worker = null;
			for (const waiting of this.pending.values()) waiting.reject(err);
			this.pending.clear();
		};
		worker.on('error', fail);
		worker.on('exit', (code) => fail(new Error(`worker ${this.module} exited (${code})`)));
		this.worker = worker;
		return worker;
	}
}

/**
 * The worker side: answers each request with `handle`'s result, or its error,
 * one request at a time.
 * `transfer` names buffers of a result to hand over instead of copying.
 */
export function serveRequests<Q, R>(
	handle: (body: Q) => R | Promise<R>,
	transfer: (result: R) => ArrayBuffer[] = () => []
): void {
	const port = parentPort;
	if (!port) throw new Error('serveRequests runs in a worker thread');
	const answer = async ({ id, body }: { id: number; body: Q }) => {
		let reply: Reply<R>;
		let buffers: ArrayBuffer[] = [];
		try {
			const result = await handle(body);
			reply = { id, ok: true, body: result };
			buffers = transfer(result);
		} catch (err) {
			const e = err instanceof Error ? err : new Error(String(err));
			reply = { id, ok: false, name: e.name, message: e.message };
		}
		port.postMessage(reply, buffers);
	};
	// One request at a time, in order: an asynchronous handler (a transaction) never interleaves with the next.
	let queue: Promise<void> = Promise.resolve();
	port.on('message', (request: { id: number; body: Q }) => {
		queue = queue.then(() => answer(request));
	});
}
