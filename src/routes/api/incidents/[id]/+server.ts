import type { RequestHandler } from './$types';
import { apiError } from '$lib/server/api';
import { database } from '$lib/server/db';
import { getIncident } from '$lib/server/incidents';

export const GET: RequestHandler = async ({ params }) => {
	const { db } = await database();
	const incident = await getIncident(db, params.id);
	if (!incident) return apiError(404, 'No such incident.');
	return Response.json(incident);
};
