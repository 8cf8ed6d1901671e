/**
 * Opens the database named by the environment: PostgreSQL when DATABASE_URL
 * is set, otherwise the embedded SQLite file `${DATA_DIR}/warroom.sqlite`.
 * Reads process.env directly so the realtime server can use it too.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import { migrationProvider, type Dialect } from './migrations';
import type { Database } from './schema';
import { configureSqlite } from './sqlite-pragmas';
import { log } from '../log';

export interface DatabaseHandle {
	db: Kysely<Database>;
	dialect: Dialect;
	/** The SQLite file, for other connections to it (null for PostgreSQL or in-memory). */
	sqliteFile: string | null;
	close(): Promise<void>;
}

export interface ConnectOptions {
	databaseUrl?: string;
	/** Path of the SQLite file, or ':memory:'. */
	sqliteFile?: string;
}

// int8 (bigint) comes back from pg as a string; our bigints are epoch ms and sequence numbers, well inside 2^53.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): ConnectOptions {
	if (env.DATABASE_URL) return { databaseUrl: env.DATABASE_URL };
	const dataDir = path.resolve(env.DATA_DIR || './data');
	mkdirSync(dataDir, { recursive: true });
	return { sqliteFile: path.join(dataDir, 'warroom.sqlite') };
}

export function openDatabase(options: ConnectOptions): DatabaseHandle {
	if (options.databaseUrl) {
		const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10 });
		// An idle pooled connection the server ends (restart, failover, an admin's terminate) is an
		// 'error' on the pool; unheard, it would kill the process. The pool drops that client and
		// opens a new one on the next query.
		pool.on('error', (err) => log.warn('db.idle_connection_lost', { err }));
		const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
		return { db, dialect: 'postgres', sqliteFile: null, close: () => db.destroy() };
	}
	const file = options.sqliteFile ?? ':memory:';
	const sqlite = new SQLite(file);
	configureSqlite(sqlite);
	const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
	return {
		db,
		dialect: 'sqlite',
		sqliteFile: file === ':memory:' ? null : file,
		close: () => db.destroy()
	};
}

export async function migrateToLatest(handle: DatabaseHandle): Promise<void> {
	const migrator = new Migrator({ db: handle.db, provider: migrationProvider(handle.dialect) });
	const { error, results } = await migrator.migrateToLatest();
	for (const r of results ?? []) {
		if (r.status === 'Error') throw new Error(`migration ${r.migrationName} failed`);
	}
	if (error) throw error;
}
