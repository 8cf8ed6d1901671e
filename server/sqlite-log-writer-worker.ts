/**
 * The SQLite log writer thread (see sqlite-log-writer.ts): its own connection
 * to the database file, making every write to the stored documents, so the
 * event loop never waits for the disk to sync.
 */
import { workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from '../src/lib/server/db/schema';
import { configureSqlite } from '../src/lib/server/db/sqlite-pragmas';
import { kyselyLogWriter, toBuffer, type Append } from './log-writer';
import type { LogWriterRequest } from './sqlite-log-writer';
import { serveRequests } from './worker-rpc';

const sqlite = new SQLite(workerData.file as string);
configureSqlite(sqlite);

// Appends are the hot path (every edit): one prepared statement, no query builder.
const insert = sqlite.prepare(
	'INSERT INTO yjs_updates (incident_id, data, created_at) VALUES (?, ?, ?)'
);
const appendAll = sqlite.transaction((appends: Append[], now: number) =>
	appends.map(({ incidentId, updates }) => {
		let lastSeq = 0;
		for (const u of updates)
			lastSeq = Number(insert.run(incidentId, toBuffer(u), now).lastInsertRowid);
		return lastSeq;
	})
);

// State swaps are rare (one per compaction): the same Kysely queries as on PostgreSQL.
const kysely = kyselyLogWriter(
	new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) })
);

serveRequests<LogWriterRequest, number[] | boolean>((request) =>
	request.op === 'append'
		? // IMMEDIATE: take the write lock up front, waiting (busy_timeout) for the main connection if it writes.
			appendAll.immediate(request.appends, Date.now())
		: kysely.swapState(request.swap)
);
