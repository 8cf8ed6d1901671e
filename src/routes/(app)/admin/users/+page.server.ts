import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { isAccountRole } from '$lib/incident/roles';
import { database } from '$lib/server/db';
import { log } from '$lib/server/log';
import { requireAdmin } from '$lib/server/page-access';
import { listUsers, setAccountRole } from '$lib/server/users';

export const load: PageServerLoad = async ({ locals, url }) => {
	requireAdmin(locals, url);
	const { db } = await database();
	return { users: await listUsers(db), updated: url.searchParams.get('updated') };
};

export const actions: Actions = {
	setRole: async ({ locals, request, url }) => {
		const admin = requireAdmin(locals, url);
		const form = await request.formData();
		const username = String(form.get('username') ?? '');
		const role = String(form.get('role') ?? '');
		if (!username) return fail(400, { message: 'username: is required', username, role });
		if (!isAccountRole(role)) {
			return fail(400, { message: 'role: must be admin, responder or viewer', username, role });
		}
		const { db } = await database();
		const result = await setAccountRole(db, username, role);
		if (!result.ok) {
			return result.reason === 'not_found'
				? fail(404, { message: `No user called ${username}.`, username, role })
				: fail(409, {
						message: `${username} is the last admin and stays admin: make someone else admin first.`,
						username,
						role
					});
		}
		log.info('user.role_changed', { userId: result.user.id, by: admin.id, role });
		// An admin who stepped down can no longer see this page.
		if (result.user.id === admin.id && role !== 'admin') redirect(303, '/');
		redirect(303, `/admin/users?updated=${encodeURIComponent(result.user.username)}`);
	}
};
