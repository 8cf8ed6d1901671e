import type { RequestHandler } from './$types';
import { z } from 'zod';
import { apiError, apiUser, readJson, refuseViewer } from '$lib/server/api';
import { declareSchema, describeIssues } from '$lib/incident/command-schemas';
import { STATUSES } from '$lib/incident/lifecycle';
import { SEVERITIES } from '$lib/incident/severity';
import { database } from '$lib/server/db';
import { declareIncident, listIncidents } from '$lib/server/incidents';

const listQuery = z.object({
	status: z.array(z.enum(STATUSES)).optional(),
	severity: z.array(z.enum(SEVERITIES)).optional(),
	active: z.enum(['true', 'false']).optional()
});

export const GET: RequestHandler = async ({ url }) => {
	const parsed = listQuery.safeParse({
		status: url.searchParams.getAll('status').length
			? url.searchParams.getAll('status')
			: undefined,
		severity: url.searchParams.getAll('severity').length
			? url.searchParams.getAll('severity')
			: undefined,
		active: url.searchParams.get('active') ?? undefined
	});
	if (!parsed.success) return apiError(400, describeIssues(parsed.error));
	const { db } = await database();
	const incidents = await listIncidents(db, {
		status: parsed.data.status,
		severity: parsed.data.severity,
		activeOnly: parsed.data.active === 'true'
	});
	return Response.json({ incidents });
};

export const POST: RequestHandler = async (event) => {
	const user = apiUser(event);
	const refused = refuseViewer(user);
	if (refused) return refused;
	const body = await readJson(event.request, declareSchema);
	if (!body.ok) return body.response;
	const { db } = await database();
	const incident = await declareIncident(
		db,
		{ id: user.id, username: user.username, displayName: user.display_name },
		body.data
	);
	return Response.json(incident, { status: 201 });
};
