/**
 * Runs background work (log compactions) one task at a time, with a turn of
 * the event loop between tasks. Rooms written at the same rate fall due for
 * compaction at the same moment; run back to back, twenty compactions stall
 * every room's broadcasts for tens of milliseconds. Queued, each costs a few
 * milliseconds with I/O served in between.
 */
export class BackgroundQueue {
	private tail: Promise<unknown> = Promise.resolve();

	run<T>(task: () => Promise<T>): Promise<T> {
		const result = this.tail
			.then(() => new Promise<void>((resolve) => setImmediate(resolve)))
			.then(task);
		this.tail = result.catch(() => {});
		return result;
	}
}
