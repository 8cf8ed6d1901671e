/**
 * Durable storage of incident documents: an append-only log of Yjs updates
 * (`yjs_updates`) folded now and then into one compacted state per incident
 * (`yjs_states`). The same queries run on SQLite and PostgreSQL.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../src/lib/server/db/schema';
import { log } from '../src/lib/server/log';
import { CorruptStateError, type LogRow } from './fold';
import { inThreadFolder, type Folder } from './folder';
import { GroupCommit } from './group-commit';
import { kyselyLogWriter, type Append, type LogWriter } from './log-writer';

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

export interface RoomStoreOptions {
	/** Where loads and compactions fold stored documents (default: in this thread). */
	folder?: Folder;
	/** What writes appends and compacted states (default: transactions on `db`, in this thread). */
	writer?: LogWriter;
}

interface StoredRows {
	stateRow: { state: Uint8Array; through_seq: number } | undefined;
	rows: LogRow[];
}

export class RoomStore {
	private readonly appends: GroupCommit<Append, number>;
	private readonly folder: Folder;
	private readonly writer: LogWriter;

	constructor(
		private readonly db: Kysely<Database>,
		options: RoomStoreOptions = {}
	) {
		this.folder = options.folder ?? inThreadFolder;
		const writer = (this.writer = options.writer ?? kyselyLogWriter(db));
		this.appends = new GroupCommit({
			commitAll: (appends) => writer.append(appends),
			commitOne: async (append) => (await writer.append([append]))[0]
		});
	}

	/**
	 * The stored document: compacted state merged with every log row still
	 * present. Rows at or below `through_seq` (a compaction on another node
	 * racing an append) are merged too: Yjs updates are idempotent, a
	 * duplicate is harmless.
	 */
	async loadDocument(incidentId: string): Promise<StoredDocument> {
		const { stateRow, rows } = await this.readStored(incidentId);
		const throughSeq = Number(stateRow?.through_seq ?? 0);
		const state = await this.fold(incidentId, stateRow, rows);
		const lastSeq = rows.reduce((max, r) => Math.max(max, r.seq), throughSeq);
		return { state, lastSeq, uncompacted: rows.length };
	}

	/**
	 * The compacted state and the log rows (all, or up to `throughSeq`), read in
	 * one repeatable-read transaction so a compaction that commits in between
	 * cannot make us miss the rows it folded in.
	 */
	private async readStored(incidentId: string, throughSeq?: number): Promise<StoredRows> {
		const { stateRow, rows } = await this.db
			.transaction()
			.setIsolationLevel('repeatable read')
			.execute(async (trx) => {
				let query = trx
					.selectFrom('yjs_updates')
					.select(['seq', 'data'])
					.where('incident_id', '=', incidentId);
				if (throughSeq !== undefined) query = query.where('seq', '<=', throughSeq);
				return {
					stateRow: await trx
						.selectFrom('yjs_states')
						.select(['state', 'through_seq'])
						.where('incident_id', '=', incidentId)
						.executeTakeFirst(),
					rows: await query.orderBy('seq').execute()
				};
			});
		return {
			stateRow: stateRow && {
				state: bytes(stateRow.state),
				through_seq: Number(stateRow.through_seq)
			},
			rows: rows.map((r) => ({ seq: Number(r.seq), data: bytes(r.data) }))
		};
	}

	/** Folds off the event loop (see folder.ts); damaged rows are skipped and logged. */
	private async fold(
		incidentId: string,
		stateRow: StoredRows['stateRow'],
		rows: LogRow[]
	): Promise<Uint8Array> {
		// Nothing to fold (a compacted incident): no need to ship the state to the folder and back.
		if (stateRow && rows.length === 0) return stateRow.state;
		try {
			const { state, skipped } = await this.folder.fold(stateRow?.state ?? null, rows);
			for (const row of skipped) log.error('yjs.store_corrupt_row', { incidentId, ...row });
			return state;
		} catch (err) {
			if (err instanceof CorruptStateError)
				throw new Error(`stored state of incident ${incidentId} is corrupt`);
			throw err;
		}
	}

	/**
	 * Appends updates to the log; resolves once they are committed, with the
	 * sequence number of the last one. Callers broadcast only after. Appends
	 * from several rooms in the same tick share one transaction (group commit).
	 */
	async appendUpdates(incidentId: string, updates: readonly Uint8Array[]): Promise<number> {
		if (updates.length === 0) throw new RangeError('appendUpdates needs at least one update');
		return this.appends.submit({ incidentId, updates });
	}

	/**
	 * Folds log rows (all of them, or those up to `throughSeq`) into the
	 * compacted state and deletes them. The new state is built from what is
	 * stored, never from a room's memory, so a row this process has not seen
	 * (another node wrote it) cannot be deleted unmerged.
	 *
	 * Optimistic, so that folding (the slow part) holds no transaction open and
	 * never delays appends: read, fold, then in one short transaction replace
	 * the state only if nobody compacted meanwhile (compare-and-set on
	 * `through_seq`) and delete exactly the rows that were folded in. Resolves
	 * `null` when there was nothing to fold or another compaction won.
	 */
	async compact(incidentId: string, throughSeq?: number): Promise<CompactionResult | null> {
		const { stateRow, rows } = await this.readStored(incidentId, throughSeq);
		if (rows.length === 0) return null;
		const state = await this.fold(incidentId, stateRow, rows);
		const newThrough = Math.max(stateRow?.through_seq ?? 0, rows[rows.length - 1].seq);
		const swapped = await this.writer.swapState({
			incidentId,
			state,
			readThrough: stateRow?.through_seq ?? null,
			throughSeq: newThrough,
			foldedSeqs: rows.map((r) => r.seq)
		});
		// Not swapped: another compaction got there first; ours is stale.
		return swapped ? { throughSeq: newThrough, rows: rows.length, bytes: state.byteLength } : null;
	}
}

/** Drivers hand back Buffers (a Uint8Array subclass); pg may hand back other views. */
function bytes(value: Uint8Array): Uint8Array {
	return value instanceof Uint8Array ? value : new Uint8Array(value as ArrayLike<number>);
}
