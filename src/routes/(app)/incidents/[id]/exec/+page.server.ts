import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { database } from '$lib/server/db';
import { incidentExecSummary } from '$lib/server/exec-summary';
import { requireUser } from '$lib/server/page-access';

// Any signed-in account, viewers included: this page only reads.
export const load: PageServerLoad = async ({ locals, url, params }) => {
	requireUser(locals, url);
	const { db } = await database();
	const summary = await incidentExecSummary(db, params.id);
	if (!summary) error(404, 'No such incident');
	return { summary };
};
