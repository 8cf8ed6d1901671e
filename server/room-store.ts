/**
 * Durable storage of incident documents: an append-only log of Yjs updates
 * (`yjs_updates`) folded now and then into one compacted state per incident
 * (`yjs_states`). The same queries run on SQLite and PostgreSQL.
 */
import type { Kysely } from 'kysely';
import * as Y from 'yjs';
import type { Database } from '../src/lib/server/db/schema';
import { newIncidentDoc } from '../src/lib/doc/incident-doc';
import { log } from '../src/lib/server/log';

export interface StoredDocument {
	/** The whole stored document as one Yjs update (`[0, 0]` for a document never written). */
	state: Uint8Array;
	/** Highest log sequence number the state includes; 0 when nothing was ever written. */
	lastSeq: number;
	/** Log rows not yet folded into the compacted state. */
	uncompacted: number;
}

export interface CompactionResult {
	/** The compacted state now holds every log row up to and including this one. */
	throughSeq: number;
	/** Log rows folded in (and deleted). */
	rows: number;
	/** Size of the new compacted state. */
	bytes: number;
}

/** Rows per INSERT: keeps every statement well under SQLite's bound-parameter limit. */
const INSERT_CHUNK = 500;

export class RoomStore {
	constructor(private readonly db: Kysely<Database>) {}

	/**
	 * The stored document: compacted state merged with every log row still
	 * present. Read in one repeatable-read transaction so a compaction that
	 * commits in between cannot make us miss the rows it folded in. Rows at or
	 * below `through_seq` (a compaction on another node racing an append) are
	 * merged too: Yjs updates are idempotent, a duplicate is harmless.
	 */
	async loadDocument(incidentId: string): Promise<StoredDocument> {
		const { stateRow, rows } = await this.db
			.transaction()
			.setIsolationLevel('repeatable read')
			.execute(async (trx) => ({
				stateRow: await trx
					.selectFrom('yjs_states')
					.select(['state', 'through_seq'])
					.where('incident_id', '=', incidentId)
					.executeTakeFirst(),
				rows: await trx
					.selectFrom('yjs_updates')
					.select(['seq', 'data'])
					.where('incident_id', '=', incidentId)
					.orderBy('seq')
					.execute()
			}));
		const throughSeq = Number(stateRow?.through_seq ?? 0);
		const state = mergeStored(incidentId, stateRow ? bytes(stateRow.state) : null, rows);
		const lastSeq = rows.reduce((max, r) => Math.max(max, Number(r.seq)), throughSeq);
		return { state, lastSeq, uncompacted: rows.length };
	}

	/**
	 * Appends updates to the log in one transaction; resolves once committed,
	 * with the sequence number of the last one. Callers broadcast only after.
	 */
	async appendUpdates(incidentId: string, updates: readonly Uint8Array[]): Promise<number> {
		if (updates.length === 0) throw new RangeError('appendUpdates needs at least one update');
		const now = Date.now();
		return this.db.transaction().execute(async (trx) => {
			let lastSeq = 0;
			for (let i = 0; i < updates.length; i += INSERT_CHUNK) {
				const inserted = await trx
					.insertInto('yjs_updates')
					.values(
						updates.slice(i, i + INSERT_CHUNK).map((u) => ({
							incident_id: incidentId,
							data: toBuffer(u),
							created_at: now
						}))
					)
					.returning('seq')
					.execute();
				for (const row of inserted) lastSeq = Math.max(lastSeq, Number(row.seq));
			}
			return lastSeq;
		});
	}

	/**
	 * Folds log rows (all of them, or those up to `throughSeq`) into the
	 * compacted state and deletes them, in one transaction. The new state is
	 * built from what is stored, never from a room's memory, so a row this
	 * process has not seen (another node wrote it) cannot be deleted unmerged.
	 * Resolves `null` when there was nothing to fold.
	 */
	async compact(incidentId: string, throughSeq?: number): Promise<CompactionResult | null> {
		return this.db
			.transaction()
			.setIsolationLevel('repeatable read')
			.execute(async (trx) => {
				const stateRow = await trx
					.selectFrom('yjs_states')
					.select(['state', 'through_seq'])
					.where('incident_id', '=', incidentId)
					.executeTakeFirst();
				let query = trx
					.selectFrom('yjs_updates')
					.select(['seq', 'data'])
					.where('incident_id', '=', incidentId);
				if (throughSeq !== undefined) query = query.where('seq', '<=', throughSeq);
				const rows = await query.orderBy('seq').execute();
				if (rows.length === 0) return null;

				const state = mergeStored(incidentId, stateRow ? bytes(stateRow.state) : null, rows);
				const maxRowSeq = Number(rows[rows.length - 1].seq);
				const newThrough = Math.max(Number(stateRow?.through_seq ?? 0), maxRowSeq);
				const now = Date.now();
				await trx
					.insertInto('yjs_states')
					.values({
						incident_id: incidentId,
						state: toBuffer(state),
						through_seq: newThrough,
						updated_at: now
					})
					.onConflict((oc) =>
						oc
							.column('incident_id')
							.doUpdateSet({ state: toBuffer(state), through_seq: newThrough, updated_at: now })
					)
					.execute();
				// Under repeatable read only the rows we read (and merged) are visible to this delete.
				await trx
					.deleteFrom('yjs_updates')
					.where('incident_id', '=', incidentId)
					.where('seq', '<=', maxRowSeq)
					.execute();
				return { throughSeq: newThrough, rows: rows.length, bytes: state.byteLength };
			});
	}
}

/**
 * Folds a stored state and log rows into one update by applying them, in
 * order, to a scratch document and encoding it, exactly as the live room
 * did. Not `Y.mergeUpdates`: fuzzing found updates that apply one by one
 * but whose merge no longer applies, which made an incident unloadable.
 * A row that does not apply means storage was damaged: it is skipped and
 * logged rather than making the whole incident unloadable. A damaged
 * compacted state is not skippable (it is the document), so that throws.
 */
function mergeStored(
	incidentId: string,
	state: Uint8Array | null,
	rows: readonly { seq: number; data: Uint8Array }[]
): Uint8Array {
	if (rows.length === 0 && state) return state;
	const doc = newIncidentDoc();
	try {
		if (state) {
			try {
				Y.applyUpdate(doc, state);
			} catch {
				throw new Error(`stored state of incident ${incidentId} is corrupt`);
			}
		}
		for (const row of rows) {
			const data = bytes(row.data);
			try {
				Y.applyUpdate(doc, data);
			} catch (err) {
				log.error('yjs.store_corrupt_row', {
					incidentId,
					seq: Number(row.seq),
					bytes: data.byteLength,
					err
				});
			}
		}
		return Y.encodeStateAsUpdate(doc);
	} finally {
		doc.destroy();
	}
}

/** Drivers hand back Buffers (a Uint8Array subclass); pg may hand back other views. */
function bytes(value: Uint8Array): Uint8Array {
	return value instanceof Uint8Array ? value : new Uint8Array(value as ArrayLike<number>);
}

/** better-sqlite3 binds Buffers, not plain Uint8Arrays; wrapping shares memory, no copy. */
function toBuffer(u: Uint8Array): Buffer {
	return Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}
