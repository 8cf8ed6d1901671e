/**
 * How appends reach the update log. The room store hands each group of
 * appends (see group-commit.ts) to an appender, which stores them all in one
 * transaction. On PostgreSQL (asynchronous I/O) that is a Kysely transaction
 * on the event loop; on SQLite, whose commits block the thread they run on
 * while the disk syncs, it is sqlite-appender.ts on a worker thread.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../src/lib/server/db/schema';

export interface Append {
	incidentId: string;
	updates: readonly Uint8Array[];
}

export interface Appender {
	/** Stores every append in one transaction; resolves once committed with each one's last seq, in order. */
	append(appends: Append[]): Promise<number[]>;
	close(): Promise<void>;
}

/** Rows per INSERT (or ids per DELETE … IN): keeps every statement well under SQLite's bound-parameter limit. */
export const ROWS_PER_STATEMENT = 500;

export function kyselyAppender(db: Kysely<Database>): Appender {
	return {
		append: (appends) =>
			db.transaction().execute(async (trx) => {
				const seqs: number[] = [];
				for (const append of appends) seqs.push(await insertUpdates(trx, append));
				return seqs;
			}),
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

/** better-sqlite3 binds Buffers, not plain Uint8Arrays; wrapping shares memory, no copy. */
export function toBuffer(u: Uint8Array): Buffer {
	return Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}
