/**
 * Every write to the stored documents: appends to the update log (handed over
 * in groups by group-commit.ts) and compactions' swaps of the folded state.
 * On PostgreSQL (asynchronous I/O) both are Kysely transactions on the event
 * loop. On SQLite, whose commits block the thread they run on while the disk
 * syncs, both go to one writer thread (sqlite-log-writer.ts): the event loop
 * never waits for an fsync, and the two never wait on each other's locks.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../src/lib/server/db/schema';

export interface Append {
	incidentId: string;
	updates: readonly Uint8Array[];
}

/** A compaction's result, stored only if nobody compacted the incident since it read the log. */
export interface StateSwap {
	incidentId: string;
	/** The folded state: the previous state plus every row in `foldedSeqs`. */
	state: Uint8Array;
	/** `through_seq` of the state the fold started from; null when the incident had none. */
	readThrough: number | null;
	/** `through_seq` of the new state. */
	throughSeq: number;
	/** The log rows folded into `state`, deleted in the same transaction. */
	foldedSeqs: number[];
}

export interface LogWriter {
	/** Stores every append in one transaction; resolves once committed with each one's last seq, in order. */
	append(appends: Append[]): Promise<number[]>;
	/**
	 * Replaces the state and deletes the folded rows in one transaction, if the
	 * stored `through_seq` is still `readThrough` (compare-and-set); resolves
	 * false, changing nothing, when another compaction got there first.
	 */
	swapState(swap: StateSwap): Promise<boolean>;
	close(): Promise<void>;
}

/** Rows per INSERT (or ids per DELETE … IN): keeps every statement well under SQLite's bound-parameter limit. */
export const ROWS_PER_STATEMENT = 500;

export function kyselyLogWriter(db: Kysely<Database>): LogWriter {
	return {
		append: (appends) =>
			db.transaction().execute(async (trx) => {
				const seqs: number[] = [];
				for (const append of appends) seqs.push(await insertUpdates(trx, append));
				return seqs;
			}),
		swapState: (swap) => db.transaction().execute((trx) => swapStateIn(trx, swap)),
		close: async () => {}
	};
}

async function insertUpdates(
	trx: Transaction<Database>,
	{ incidentId, updates }: Append
): Promise<number> {
	const now = Date.now();
	let lastSeq = 0;
	for (let i = 0; i < updates.length; i += ROWS_PER_STATEMENT) {
		const inserted = await trx
			.insertInto('yjs_updates')
			.values(
				updates.slice(i, i + ROWS_PER_STATEMENT).map((u) => ({
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
}

async function swapStateIn(trx: Transaction<Database>, swap: StateSwap): Promise<boolean> {
	const { incidentId, readThrough } = swap;
	const values = {
		state: toBuffer(swap.state),
		through_seq: swap.throughSeq,
		updated_at: Date.now()
	};
	const swapped =
		readThrough === null
			? await trx
					.insertInto('yjs_states')
					.values({ incident_id: incidentId, ...values })
					.onConflict((oc) => oc.column('incident_id').doNothing())
					.executeTakeFirst()
					.then((r) => Number(r.numInsertedOrUpdatedRows ?? 0))
			: await trx
					.updateTable('yjs_states')
					.set(values)
					.where('incident_id', '=', incidentId)
					.where('through_seq', '=', readThrough)
					.executeTakeFirst()
					.then((r) => Number(r.numUpdatedRows));
	if (swapped !== 1) return false;
	for (let i = 0; i < swap.foldedSeqs.length; i += ROWS_PER_STATEMENT) {
		await trx
			.deleteFrom('yjs_updates')
			.where('incident_id', '=', incidentId)
			.where('seq', 'in', swap.foldedSeqs.slice(i, i + ROWS_PER_STATEMENT))
			.execute();
	}
	return true;
}

/** better-sqlite3 binds Buffers, not plain Uint8Arrays; wrapping shares memory, no copy. */
export function toBuffer(u: Uint8Array): Buffer {
	return Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}
