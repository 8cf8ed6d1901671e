import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { describeIssues } from '$lib/incident/command-schemas';
import { createShareLinkSchema, SHARE_LINK_DURATIONS } from '$lib/incident/share-links';
import { database } from '$lib/server/db';
import { getIncident } from '$lib/server/incidents';
import { requireUser } from '$lib/server/page-access';
import {
	createShareLink,
	listShareLinks,
	revokeShareLink,
	shareLinkAccess
} from '$lib/server/share-links';

/** Signed in, and the commander of this incident or an admin; otherwise 403 (or 404). */
async function guard(locals: App.Locals, url: URL, incidentId: string) {
	const user = requireUser(locals, url);
	const { db } = await database();
	const access = await shareLinkAccess(db, user, incidentId);
	if (!access.ok) error(access.status, access.error);
	return { user, db };
}

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const { db } = await guard(locals, url, params.id);
	const incident = await getIncident(db, params.id);
	if (!incident) error(404, 'No such incident');
	return {
		incident,
		links: await listShareLinks(db, params.id),
		durations: Object.entries(SHARE_LINK_DURATIONS).map(([value, d]) => ({
			value,
			label: d.label
		})),
		revoked: url.searchParams.has('revoked')
	};
};

export const actions: Actions = {
	createLink: async ({ locals, url, params, request }) => {
		const { user, db } = await guard(locals, url, params.id);
		const form = await request.formData();
		const fields = {
			expiresIn: String(form.get('expiresIn') ?? ''),
			label: String(form.get('label') ?? '')
		};
		const parsed = createShareLinkSchema.safeParse(fields);
		if (!parsed.success) return fail(400, { message: describeIssues(parsed.error), ...fields });
		const { token, link } = await createShareLink(db, {
			incidentId: params.id,
			createdBy: user.id,
			...parsed.data
		});
		// Shown once, never stored: no redirect, so the token stays out of the address bar and history.
		return { created: { id: link.id, url: new URL(`/share/${token}`, url).href } };
	},

	revokeLink: async ({ locals, url, params, request }) => {
		const { user, db } = await guard(locals, url, params.id);
		const form = await request.formData();
		const linkId = String(form.get('linkId') ?? '');
		if (!linkId) return fail(400, { message: 'linkId: is required' });
		const result = await revokeShareLink(db, params.id, linkId, user.id);
		if (!result.ok) return fail(404, { message: 'No such share link.' });
		redirect(303, `/incidents/${params.id}/settings?revoked`);
	}
};
