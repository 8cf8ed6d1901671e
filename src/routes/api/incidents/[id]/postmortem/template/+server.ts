import type { RequestHandler } from './$types';
import { apiError, apiUser, refuseViewer } from '$lib/server/api';
import { database } from '$lib/server/db';
import { getIncident } from '$lib/server/incidents';
import { startFromTemplate } from '$lib/server/postmortem-document';

/** Starts an empty postmortem from the blameless template; 409 once anything is written. */
export const POST: RequestHandler = async (event) => {
	const user = apiUser(event);
	const refused = refuseViewer(user);
	if (refused) return refused;
	const { db } = await database();
	const incident = await getIncident(db, event.params.id);
	if (!incident) return apiError(404, 'No such incident.');
	const inserted = await startFromTemplate(db, incident, user.id);
	if (!inserted) return apiError(409, 'The postmortem is not empty.');
	return new Response(null, { status: 204 });
};
