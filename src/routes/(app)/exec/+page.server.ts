import type { PageServerLoad } from './$types';
import { database } from '$lib/server/db';
import { execBoard } from '$lib/server/exec-summary';
import { requireUser } from '$lib/server/page-access';

export const load: PageServerLoad = async ({ locals, url }) => {
	requireUser(locals, url);
	const { db } = await database();
	return { board: await execBoard(db) };
};
