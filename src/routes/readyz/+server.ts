import type { RequestHandler } from './$types';
import { sql } from 'kysely';
import { database } from '$lib/server/db';

export const GET: RequestHandler = async () => {
	try {
		const { db } = await database();
		await sql`select 1`.execute(db);
		return Response.json({ ok: true });
	} catch {
		return Response.json({ ok: false, error: 'database not reachable' }, { status: 503 });
	}
};
