import type { RequestHandler } from './$types';
import { z } from 'zod';
import { ACCOUNT_ROLES } from '$lib/incident/roles';
import { apiError, apiUser, readJson } from '$lib/server/api';
import { database } from '$lib/server/db';
import { log } from '$lib/server/log';
import { setAccountRole } from '$lib/server/users';

const body = z.object({ role: z.enum(ACCOUNT_ROLES) });

export const PATCH: RequestHandler = async (event) => {
	const user = apiUser(event);
	if (user.role !== 'admin') return apiError(403, 'Only an admin can change roles.');
	const parsed = await readJson(event.request, body);
	if (!parsed.ok) return parsed.response;
	const { db } = await database();
	const result = await setAccountRole(db, event.params.username, parsed.data.role);
	if (!result.ok) {
		return result.reason === 'not_found'
			? apiError(404, 'No such user.')
			: apiError(409, 'This is the last admin; make someone else admin first.');
	}
	log.info('user.role_changed', { userId: result.user.id, by: user.id, role: parsed.data.role });
	return Response.json({ user: result.user });
};
