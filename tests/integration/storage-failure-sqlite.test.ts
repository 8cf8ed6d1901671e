/**
 * A storage failure on the embedded SQLite database, through the real server
 * and its log writer thread: appends start failing under the running server
 * (a trigger raising an error stands in for a full or failing disk). The
 * scenario (tests/support/storage-failure.ts) is the one PostgreSQL passes.
 */
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, it } from 'vitest';
import { startServer, type TestServer } from '../support/server';
import { failedWriteIsResent } from '../support/storage-failure';

let server: TestServer;

beforeAll(async () => {
	server = await startServer();
});

afterAll(async () => {
	await server?.dispose();
});

/** Makes every append to the update log fail, or work again. */
function failAppends(on: boolean): void {
	const db = new SQLite(path.join(server.dataDir, 'warroom.sqlite'));
	db.pragma('busy_timeout = 5000');
	try {
		db.exec(
			on
				? `CREATE TRIGGER test_fail_appends BEFORE INSERT ON yjs_updates
				   BEGIN SELECT RAISE(ABORT, 'simulated disk failure'); END`
				: 'DROP TRIGGER IF EXISTS test_fail_appends'
		);
	} finally {
		db.close();
	}
}

it('a failed append closes the writer with 1011, and its provider resends once storage is back', async () => {
	await failedWriteIsResent(
		server,
		{ fail: () => failAppends(true), recover: () => failAppends(false) },
		'diskalice'
	);
}, 90_000);
