import type { RequestHandler } from './$types';
import { apiError, apiUser, refuseViewer } from '$lib/server/api';
import { database } from '$lib/server/db';
import { incidentExists } from '$lib/server/incidents';
import { restoreVersion } from '$lib/server/postmortem-versions';

/** Restores a version as a new forward edit; answers the `restore` version it became. */
export const POST: RequestHandler = async (event) => {
	const user = apiUser(event);
	const refused = refuseViewer(user);
	if (refused) return refused;
	const { db } = await database();
	const { id, versionId } = event.params;
	if (!(await incidentExists(db, id))) return apiError(404, 'No such incident.');
	const restored = await restoreVersion(db, id, versionId, user.id);
	if (!restored) return apiError(404, 'No such version.');
	return Response.json({ ...restored.version, text: restored.text });
};
