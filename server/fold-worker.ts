/** The fold worker thread (see folder.ts). */
import { foldUpdates, type FoldResult, type LogRow } from './fold';
import { serveRequests } from './worker-rpc';

export interface FoldRequest {
	state: Uint8Array | null;
	rows: LogRow[];
}

serveRequests<FoldRequest, FoldResult>(
	({ state, rows }) => foldUpdates(state, rows),
	// Hand the (possibly large) state over instead of copying it.
	(result) => (result.state.byteLength > 0 ? [result.state.buffer as ArrayBuffer] : [])
);
