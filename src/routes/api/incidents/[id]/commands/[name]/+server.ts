import type { RequestHandler } from './$types';
import { apiError, apiUser, readJsonBody } from '$lib/server/api';
import { isCommandName, loadActor, runCommand } from '$lib/server/command-runner';
import { database } from '$lib/server/db';
import { HTTP_STATUS } from '$lib/server/incident-commands';

/** The same commands as the Socket.IO events, for scripts and bots: POST /api/incidents/:id/commands/incident:status */
export const POST: RequestHandler = async (event) => {
	const user = apiUser(event);
	const { name, id } = event.params;
	if (!isCommandName(name)) return apiError(404, `Unknown command "${name.slice(0, 64)}".`);
	const parsed = await readJsonBody(event.request);
	if (!parsed.ok) return parsed.response;
	const body = parsed.data;
	if (typeof body !== 'object' || body === null || Array.isArray(body))
		return apiError(400, 'The body must be a JSON object.');
	const { db } = await database();
	const actor = await loadActor(db, user.id);
	if (!actor) return apiError(401, 'Sign in first.');
	const result = await runCommand(db, actor, name, { ...body, incidentId: id });
	if (!result.ok) return apiError(HTTP_STATUS[result.code], result.error);
	return Response.json(result.incident);
};
