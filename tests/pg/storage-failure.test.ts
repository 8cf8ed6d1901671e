/**
 * A storage failure that really happens, as root: the database turns
 * read-only under the running server (as a full disk or a failed-over
 * primary does). The writing client is told (closed with 1011), nothing is
 * broadcast, and once storage recovers the client's own reconnect resends
 * the update and it is stored. Nothing is silently dropped.
 */
import { afterAll, beforeAll, it } from 'vitest';
import { pgAdmin, tempDatabase } from '../support/pg';
import { startServer, type TestServer } from '../support/server';
import { failedWriteIsResent } from '../support/storage-failure';

const database = tempDatabase('warroom_storage');
const dbName = database.name;
const testUrl = database.url;

let server: TestServer;

/** Sets read-only for new sessions of the test database and ends the server's current ones. */
async function setReadOnly(on: boolean): Promise<void> {
	await pgAdmin(async (c) => {
		await c.query(
			on
				? `ALTER DATABASE ${dbName} SET default_transaction_read_only = on`
				: `ALTER DATABASE ${dbName} RESET default_transaction_read_only`
		);
		await c.query(
			`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
			[dbName]
		);
	});
}

beforeAll(async () => {
	await database.create();
	server = await startServer({ env: { DATABASE_URL: testUrl } });
});

afterAll(async () => {
	await server?.dispose();
	await database.drop();
});

it('a failed write closes the writer with 1011, and its provider resends once storage is back', async () => {
	await failedWriteIsResent(
		server,
		{ fail: () => setReadOnly(true), recover: () => setReadOnly(false) },
		'storagealice'
	);
}, 90_000);
