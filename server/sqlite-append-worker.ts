/**
 * The SQLite log writer thread (see sqlite-appender.ts): its own connection to
 * the database file, doing nothing but appending updates, so the event loop
 * never waits for the disk to sync.
 */
import { workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import { configureSqlite } from '../src/lib/server/db/sqlite-pragmas';
import { toBuffer, type Append } from './log-appender';
import { serveRequests } from './worker-rpc';

const db = new SQLite(workerData.file as string);
configureSqlite(db);
const insert = db.prepare(
	'INSERT INTO yjs_updates (incident_id, data, created_at) VALUES (?, ?, ?)'
);

const appendAll = db.transaction((appends: Append[], now: number) =>
	appends.map(({ incidentId, updates }) => {
		let lastSeq = 0;
		for (const u of updates)
			lastSeq = Number(insert.run(incidentId, toBuffer(u), now).lastInsertRowid);
		return lastSeq;
	})
);

// IMMEDIATE: take the write lock up front, waiting (busy_timeout) for the main connection if it writes.
serveRequests<Append[], number[]>((appends) => appendAll.immediate(appends, Date.now()));
