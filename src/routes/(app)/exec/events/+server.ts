import type { RequestHandler } from './$types';
import { apiError } from '$lib/server/api';
import { database } from '$lib/server/db';
import { execEventStream } from '$lib/server/exec-stream';
import { execBoard } from '$lib/server/exec-summary';

/** Every active incident's executive summary, as Server-Sent Events. Any signed-in account. */
export const GET: RequestHandler = async ({ locals, request }) => {
	const user = locals.user;
	if (!user) return apiError(401, 'Sign in first.');
	const { db } = await database();
	return execEventStream({
		signal: request.signal,
		logFields: { userId: user.id, stream: 'board' },
		load: async () => ({ data: await execBoard(db) })
	});
};
