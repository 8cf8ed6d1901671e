import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { database } from '$lib/server/db';
import { getIncident } from '$lib/server/incidents';
import { requireUser } from '$lib/server/page-access';
import { currentPostmortemText } from '$lib/server/postmortem-versions';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	requireUser(locals, url);
	const { db } = await database();
	const incident = await getIncident(db, params.id);
	if (!incident) error(404, 'No such incident');
	return { incident, text: await currentPostmortemText(incident.id), printedAt: Date.now() };
};
