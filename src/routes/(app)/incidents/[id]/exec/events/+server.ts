import type { RequestHandler } from './$types';
import { apiError } from '$lib/server/api';
import { database } from '$lib/server/db';
import { execEventStream } from '$lib/server/exec-stream';
import { incidentExecSummary } from '$lib/server/exec-summary';
import { incidentExists } from '$lib/server/incidents';

/** The live executive summary of one incident, as Server-Sent Events. Any signed-in account. */
export const GET: RequestHandler = async ({ locals, params, request }) => {
	const user = locals.user;
	if (!user) return apiError(401, 'Sign in first.');
	const { db } = await database();
	if (!(await incidentExists(db, params.id))) return apiError(404, 'No such incident.');
	return execEventStream({
		incidentId: params.id,
		signal: request.signal,
		logFields: { incidentId: params.id, userId: user.id, stream: 'incident' },
		load: async () => {
			const summary = await incidentExecSummary(db, params.id);
			return summary ? { data: summary } : { gone: 'The incident no longer exists.' };
		}
	});
};
