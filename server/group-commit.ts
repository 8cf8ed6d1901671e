/**
 * Group commit: writes submitted in the same tick, or while a commit is in
 * flight, go to storage together in one transaction, so twenty rooms writing
 * at once cost one durable commit (one fsync) instead of twenty back to back.
 * Each caller still hears about its own write only, once it is committed.
 *
 * If the shared transaction fails, every write in it is retried on its own,
 * so one bad write (or one that hits a constraint) cannot fail its neighbours.
 */
interface Waiting<T, R> {
	item: T;
	resolve: (result: R) => void;
	reject: (err: unknown) => void;
}

export interface GroupCommitOptions<T, R> {
	/** Commits every item in one transaction; resolves with one result per item, in order. */
	commitAll: (items: T[]) => Promise<R[]>;
	/** Commits one item alone (the fallback after a failed group). */
	commitOne: (item: T) => Promise<R>;
}

export class GroupCommit<T, R> {
	private waiting: Waiting<T, R>[] = [];
	private draining = false;

	constructor(private readonly options: GroupCommitOptions<T, R>) {}

	submit(item: T): Promise<R> {
		return new Promise<R>((resolve, reject) => {
			this.waiting.push({ item, resolve, reject });
			if (this.draining) return; // joins the next group, right after the one in flight
			this.draining = true;
			// setImmediate, not a microtask: the rest of this tick's writers (other rooms) join.
			setImmediate(() => void this.drain());
		});
	}

	private async drain(): Promise<void> {
		while (this.waiting.length > 0) {
			const group = this.waiting;
			this.waiting = [];
			await this.commit(group);
		}
		this.draining = false;
	}

	private async commit(group: Waiting<T, R>[]): Promise<void> {
		if (group.length > 1) {
			try {
				const results = await this.options.commitAll(group.map((w) => w.item));
				group.forEach((w, i) => w.resolve(results[i]));
				return;
			} catch {
				// Fall through: find out which writes fail, and fail only those.
			}
		}
		for (const w of group) {
			try {
				w.resolve(await this.options.commitOne(w.item));
			} catch (err) {
				w.reject(err);
			}
		}
	}
}
