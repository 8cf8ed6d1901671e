/**
 * Folding a stored document: its compacted state and the log rows after it
 * become one Yjs update. Pure and synchronous; server/folder.ts runs it off
 * the event loop.
 *
 * Rows are applied in order to a scratch document, exactly as the live room
 * applied them, and the document is encoded. Not `Y.mergeUpdates`: fuzzing
 * found updates that apply one by one but whose merge no longer applies,
 * which made an incident unloadable.
 */
import * as Y from 'yjs';
import { newIncidentDoc } from '../src/lib/doc/incident-doc';

export interface LogRow {
	seq: number;
	data: Uint8Array;
}

export interface FoldResult {
	state: Uint8Array;
	/** Rows that did not apply (storage was damaged): skipped, so the rest still loads. */
	skipped: { seq: number; bytes: number; error: string }[];
}

export class CorruptStateError extends Error {
	constructor() {
		super('the compacted state does not decode');
		this.name = 'CorruptStateError';
	}
}

/**
 * A damaged compacted state is not skippable (it is the document), so that
 * throws CorruptStateError; a damaged row is skipped and reported.
 */
export function foldUpdates(state: Uint8Array | null, rows: readonly LogRow[]): FoldResult {
	if (rows.length === 0 && state) return { state, skipped: [] };
	const doc = newIncidentDoc();
	const skipped: FoldResult['skipped'] = [];
	try {
		if (state) {
			try {
				Y.applyUpdate(doc, state);
			} catch {
				throw new CorruptStateError();
			}
		}
		for (const row of rows) {
			try {
				Y.applyUpdate(doc, row.data);
			} catch (err) {
				skipped.push({ seq: row.seq, bytes: row.data.byteLength, error: String(err) });
			}
		}
		return { state: Y.encodeStateAsUpdate(doc), skipped };
	} finally {
		doc.destroy();
	}
}
