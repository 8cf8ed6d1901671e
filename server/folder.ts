/**
 * Where stored documents get folded. The room store folds on every load and
 * compaction; a large incident takes tens to hundreds of milliseconds of CPU,
 * and on the event loop that would stall every room's broadcasts. The worker
 * folder does it on a worker thread; the in-thread folder (tests, tools) does
 * the same work in place.
 */
import { Worker } from 'node:worker_threads';
import { CorruptStateError, foldUpdates, type FoldResult, type LogRow } from './fold';
import type { FoldReply, FoldRequest } from './fold-worker';

export interface Folder {
	fold(state: Uint8Array | null, rows: LogRow[]): Promise<FoldResult>;
	close(): Promise<void>;
}

export const inThreadFolder: Folder = {
	fold: async (state, rows) => foldUpdates(state, rows),
	close: async () => {}
};

interface Pending {
	resolve: (result: FoldResult) => void;
	reject: (err: Error) => void;
}

/** One worker thread, started on first use and again after it dies. */
export class WorkerFolder implements Folder {
	private worker: Worker | null = null;
	private readonly pending = new Map<number, Pending>();
	private nextId = 1;

	fold(state: Uint8Array | null, rows: LogRow[]): Promise<FoldResult> {
		const worker = this.worker ?? this.start();
		const id = this.nextId++;
		return new Promise<FoldResult>((resolve, reject) => {
			// Keep the process alive while a fold is in flight (a shutdown compacting rooms), not when idle.
			if (this.pending.size === 0) worker.ref();
			this.pending.set(id, { resolve, reject });
			worker.postMessage({ id, state, rows } satisfies FoldRequest);
		});
	}

	async close(): Promise<void> {
		const worker = this.worker;
		this.worker = null;
		await worker?.terminate();
	}

	private start(): Worker {
		const worker = new Worker(new URL('./fold-worker-entry.js', import.meta.url));
		worker.unref();
		worker.on('message', (reply: FoldReply) => {
			const waiting = this.pending.get(reply.id);
			if (!waiting) return;
			this.pending.delete(reply.id);
			if (this.pending.size === 0) worker.unref();
			if (reply.ok) waiting.resolve({ state: reply.state, skipped: reply.skipped });
			else if (reply.name === 'CorruptStateError') waiting.reject(new CorruptStateError());
			else waiting.reject(new Error(reply.message));
		});
		const fail = (err: Error) => {
			if (this.worker === worker) this.worker = null;
			for (const waiting of this.pending.values()) waiting.reject(err);
			this.pending.clear();
		};
		worker.on('error', fail);
		worker.on('exit', (code) => fail(new Error(`fold worker exited (${code})`)));
		this.worker = worker;
		return worker;
	}
}
