/**
 * When a room folds its update log into the compacted state: in the
 * background once enough rows have piled up (never on the write path, so
 * broadcasts never wait for it), and once more when the room unloads.
 */
import { log } from '../src/lib/server/log';
import type { BackgroundQueue } from './background-queue';
import type { RoomStore } from './room-store';

export class RoomCompaction {
	private lastSeq = 0;
	private uncompacted = 0;
	private running: Promise<void> | null = null;

	constructor(
		private readonly store: RoomStore,
		private readonly incidentId: string,
		private readonly afterUpdates: number,
		/** Shared by every room, so compactions never run back to back on the event loop. */
		private readonly queue: BackgroundQueue
	) {}

	/** The stored state a room loaded: its last row and how many rows are not folded in yet. */
	loaded(lastSeq: number, uncompacted: number): void {
		this.lastSeq = lastSeq;
		this.uncompacted = uncompacted;
	}

	/** `count` more rows were appended, the last being `lastSeq`; compacts in the background if due. */
	appended(lastSeq: number, count: number): void {
		this.lastSeq = lastSeq;
		this.uncompacted += count;
		if (this.running || this.uncompacted < this.afterUpdates) return;
		this.running = this.run().finally(() => (this.running = null));
	}

	/** Waits for a running compaction, then folds whatever is left (a room unloading). */
	async finish(): Promise<void> {
		await this.running;
		if (this.uncompacted > 0) await this.run();
	}

	get seq(): number {
		return this.lastSeq;
	}

	private async run(): Promise<void> {
		const { incidentId } = this;
		const throughSeq = this.lastSeq;
		const counted = this.uncompacted;
		const started = performance.now();
		try {
			const result = await this.queue.run(() => this.store.compact(incidentId, throughSeq));
			this.uncompacted = Math.max(0, this.uncompacted - counted);
			const ms = Math.round(performance.now() - started);
			if (result) log.info('yjs.compacted', { incidentId, ...result, ms });
		} catch (err) {
			// The rows stay in the log and are loaded from there; the next compaction retries.
			log.error('yjs.compact_failed', { incidentId, throughSeq, err });
		}
	}
}
