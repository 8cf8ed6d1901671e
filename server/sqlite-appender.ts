/**
 * Appends to the SQLite update log from a worker thread. A SQLite commit with
 * synchronous = FULL blocks its thread until the disk has synced; on the
 * event loop every room's broadcasts would wait for every other room's
 * fsync. Here the log writer thread waits instead, and the room that wrote
 * hears back once its rows are durable, exactly as before.
 *
 * The writer has its own connection to the file; SQLite (WAL) lets it and the
 * main connection take turns writing, and both wait for each other
 * (busy_timeout) rather than fail.
 */
import type { Append, Appender } from './log-appender';
import { WorkerClient } from './worker-rpc';

export class SqliteAppender implements Appender {
	private readonly worker: WorkerClient<Append[], number[]>;

	constructor(file: string) {
		this.worker = new WorkerClient('./sqlite-append-worker.ts', { file });
	}

	append(appends: Append[]): Promise<number[]> {
		return this.worker.request(appends);
	}

	close(): Promise<void> {
		return this.worker.close();
	}
}
