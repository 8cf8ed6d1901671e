import type { RequestHandler } from './$types';
import { apiError } from '$lib/server/api';
import { database } from '$lib/server/db';
import { incidentExists } from '$lib/server/incidents';
import { readVersion } from '$lib/server/postmortem-versions';

/** One version with its text, rebuilt from the snapshot. */
export const GET: RequestHandler = async ({ params }) => {
	const { db } = await database();
	if (!(await incidentExists(db, params.id))) return apiError(404, 'No such incident.');
	const found = await readVersion(db, params.id, params.versionId);
	if (!found) return apiError(404, 'No such version.');
	return Response.json({ ...found.version, text: found.text });
};
