import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { database } from '$lib/server/db';
import { incidentExecSummary } from '$lib/server/exec-summary';
import { log } from '$lib/server/log';
import { validateShareToken } from '$lib/server/share-links';

/**
 * A share link grants this page and its event stream, nothing else: no
 * cookie is set and the token is never read anywhere but here.
 */
export const load: PageServerLoad = async ({ params, setHeaders }) => {
	setHeaders({
		'cache-control': 'no-store',
		// The token is in the URL: keep it out of other sites' logs and search indexes.
		'referrer-policy': 'no-referrer',
		'x-robots-tag': 'noindex'
	});
	const { db } = await database();
	const link = await validateShareToken(db, params.token);
	if (!link.ok) {
		log.info('share_link.refused', { reason: link.reason });
		if (link.reason === 'expired') error(410, 'This link has expired.');
		if (link.reason === 'revoked') error(410, 'This link has been revoked.');
		error(404, 'This link is not valid.');
	}
	const summary = await incidentExecSummary(db, link.incidentId);
	if (!summary) error(404, 'This link is not valid.');
	return { summary, expiresAt: link.expiresAt };
};
