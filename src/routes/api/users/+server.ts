import type { RequestHandler } from './$types';
import { database } from '$lib/server/db';
import { listUsers } from '$lib/server/users';

/** Everyone signed in may see who is who (to assign roles); only admins change roles. */
export const GET: RequestHandler = async () => {
	const { db } = await database();
	return Response.json({ users: await listUsers(db) });
};
