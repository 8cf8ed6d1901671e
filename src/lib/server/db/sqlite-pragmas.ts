import type SQLite from 'better-sqlite3';

/**
 * Settings every connection to Warroom's SQLite file uses (the main one and
 * the realtime server's log writer thread).
 */
export function configureSqlite(sqlite: SQLite.Database): void {
	sqlite.pragma('journal_mode = WAL');
	// FULL: a commit is on disk before we acknowledge or broadcast what it holds.
	sqlite.pragma('synchronous = FULL');
	sqlite.pragma('foreign_keys = ON');
	// Two connections write the file (see server/sqlite-log-writer.ts): wait for the other, never fail.
	sqlite.pragma('busy_timeout = 5000');
}
