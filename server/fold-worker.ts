/**
 * Worker thread entry for server/folder.ts: folds stored documents so the
 * CPU it takes (decoding a whole incident) never blocks the event loop that
 * serves live rooms.
 */
import { parentPort } from 'node:worker_threads';
import { foldUpdates, type LogRow } from './fold';

export interface FoldRequest {
	id: number;
	state: Uint8Array | null;
	rows: LogRow[];
}

export type FoldReply =
	| { id: number; ok: true; state: Uint8Array; skipped: ReturnType<typeof foldUpdates>['skipped'] }
	| { id: number; ok: false; name: string; message: string };

parentPort!.on('message', ({ id, state, rows }: FoldRequest) => {
	let reply: FoldReply;
	try {
		const result = foldUpdates(state, rows);
		reply = { id, ok: true, ...result };
	} catch (err) {
		const e = err instanceof Error ? err : new Error(String(err));
		reply = { id, ok: false, name: e.name, message: e.message };
	}
	// Hand the (possibly large) state over instead of copying it.
	const transfer =
		reply.ok && reply.state.byteLength > 0 ? [reply.state.buffer as ArrayBuffer] : [];
	parentPort!.postMessage(reply, transfer);
});
