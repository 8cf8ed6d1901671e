import type { PageServerLoad } from './$types';
import { STATUSES, isStatus } from '$lib/incident/lifecycle';
import { SEVERITIES, isSeverity } from '$lib/incident/severity';
import { database } from '$lib/server/db';
import { listIncidents } from '$lib/server/incidents';
import { requireUser } from '$lib/server/page-access';

export const load: PageServerLoad = async ({ locals, url }) => {
	requireUser(locals, url);
	// Unknown filter values are ignored rather than refused: this is a link people share.
	const status = url.searchParams.getAll('status').filter(isStatus);
	const severity = url.searchParams.getAll('severity').filter(isSeverity);
	const { db } = await database();
	const incidents = await listIncidents(db, { status, severity });
	return {
		incidents,
		filter: {
			status: STATUSES.filter((s) => status.includes(s)),
			severity: SEVERITIES.filter((s) => severity.includes(s))
		}
	};
};
