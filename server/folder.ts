/**
 * Where stored documents get folded. The room store folds on every load and
 * compaction; a large incident takes tens to hundreds of milliseconds of CPU,
 * and on the event loop that would stall every room's broadcasts. The worker
 * folder does it on a worker thread; the in-thread folder (tests, tools) does
 * the same work in place.
 */
import { CorruptStateError, foldUpdates, type FoldResult, type LogRow } from './fold';
import type { FoldRequest } from './fold-worker';
import { WorkerClient } from './worker-rpc';

export interface Folder {
	fold(state: Uint8Array | null, rows: LogRow[]): Promise<FoldResult>;
	close(): Promise<void>;
}

export const inThreadFolder: Folder = {
	fold: async (state, rows) => foldUpdates(state, rows),
	close: async () => {}
};

export class WorkerFolder implements Folder {
	private readonly worker = new WorkerClient<FoldRequest, FoldResult>('./fold-worker.ts');

	async fold(state: Uint8Array | null, rows: LogRow[]): Promise<FoldResult> {
		try {
			return await this.worker.request({ state, rows });
		} catch (err) {
			throw err instanceof Error && err.name === 'CorruptStateError'
				? new CorruptStateError()
				: err;
		}
	}

	close(): Promise<void> {
		return this.worker.close();
	}
}
