import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { database } from '$lib/server/db';
import { getIncident } from '$lib/server/incidents';
import { requireUser } from '$lib/server/page-access';
import { listUsers } from '$lib/server/users';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	requireUser(locals, url);
	const { db } = await database();
	const incident = await getIncident(db, params.id);
	if (!incident) error(404, 'No such incident');
	// Everyone who might hold a role or own a checklist item, and the names behind timeline authors.
	const people = await listUsers(db);
	return { incident, people };
};
