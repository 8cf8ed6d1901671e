import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { database } from '$lib/server/db';
import { getIncident } from '$lib/server/incidents';
import { requireUser } from '$lib/server/page-access';
import { displayNames } from '$lib/server/postmortem-document';
import { listVersions } from '$lib/server/postmortem-versions';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const user = requireUser(locals, url);
	const { db } = await database();
	const incident = await getIncident(db, params.id);
	if (!incident) error(404, 'No such incident');
	const [names, versions] = await Promise.all([displayNames(db), listVersions(db, incident.id)]);
	return {
		incident,
		me: { id: user.id, name: user.display_name, readOnly: user.role === 'viewer' },
		names,
		versions
	};
};
