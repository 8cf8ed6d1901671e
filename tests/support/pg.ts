/** A throwaway PostgreSQL database per test file, on the server named by TEST_DATABASE_URL. */
import pg from 'pg';

export const PG_ADMIN_URL =
	process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Runs `fn` with a client connected to the admin database. */
export async function pgAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
	const client = new pg.Client({ connectionString: PG_ADMIN_URL });
	await client.connect();
	try {
		return await fn(client);
	} finally {
		await client.end();
	}
}

/** A fresh database's name and URL; create() before use, drop() after. */
export function tempDatabase(prefix: string) {
	const name = `${prefix}_${process.pid}_${Date.now().toString(36)}`;
	const u = new URL(PG_ADMIN_URL);
	u.pathname = `/${name}`;
	return {
		name,
		url: u.toString(),
		create: () => pgAdmin((c) => c.query(`CREATE DATABASE ${name}`)),
		drop: () => pgAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))
	};
}
