import { z } from 'zod';
import type { RequestHandler } from './$types';
import { apiError, apiUser, readJson, refuseViewer } from '$lib/server/api';
import { database } from '$lib/server/db';
import { incidentExists } from '$lib/server/incidents';
import { listVersions, MAX_LABEL_LENGTH, takeVersion } from '$lib/server/postmortem-versions';

const manualVersionSchema = z.object({
	label: z
		.string({ error: 'label is required' })
		.trim()
		.min(1, 'label is required')
		.max(MAX_LABEL_LENGTH, `label must be at most ${MAX_LABEL_LENGTH} characters`)
});

export const GET: RequestHandler = async ({ params }) => {
	const { db } = await database();
	if (!(await incidentExists(db, params.id))) return apiError(404, 'No such incident.');
	return Response.json({ versions: await listVersions(db, params.id) });
};

/** A manual version with a name ("draft for review"). */
export const POST: RequestHandler = async (event) => {
	const user = apiUser(event);
	const refused = refuseViewer(user);
	if (refused) return refused;
	const { db } = await database();
	if (!(await incidentExists(db, event.params.id))) return apiError(404, 'No such incident.');
	const body = await readJson(event.request, manualVersionSchema);
	if (!body.ok) return body.response;
	const version = await takeVersion(db, event.params.id, {
		kind: 'manual',
		label: body.data.label,
		createdBy: user.id,
		authors: []
	});
	return Response.json(version, { status: 201 });
};
