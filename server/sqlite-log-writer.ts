/**
 * Writes the stored documents of a SQLite database from a worker thread. A
 * SQLite commit with synchronous = FULL blocks its thread until the disk has
 * synced; on the event loop every room's broadcasts would wait for every
 * other room's fsync, and for every compaction's. Here the writer thread
 * waits instead, and the caller hears back once its write is durable.
 *
 * The writer has its own connection to the file; SQLite (WAL) lets it and the
 * main connection (sessions, incidents, versions) take turns writing, and
 * both wait for each other (busy_timeout) rather than fail.
 */
import type { Append, LogWriter, StateSwap } from './log-writer';
import { WorkerClient } from './worker-rpc';

export type LogWriterRequest =
	{ op: 'append'; appends: Append[] } | { op: 'swapState'; swap: StateSwap };

export class SqliteLogWriter implements LogWriter {
	private readonly worker: WorkerClient<LogWriterRequest, number[] | boolean>;

	constructor(file: string) {
		this.worker = new WorkerClient('./sqlite-log-writer-worker.ts', { file });
	}

	async append(appends: Append[]): Promise<number[]> {
		return (await this.worker.request({ op: 'append', appends })) as number[];
	}

	async swapState(swap: StateSwap): Promise<boolean> {
		return (await this.worker.request({ op: 'swapState', swap })) as boolean;
	}

	close(): Promise<void> {
		return this.worker.close();
	}
}
