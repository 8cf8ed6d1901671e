import type { RequestHandler } from './$types';
import { apiError } from '$lib/server/api';
import { database } from '$lib/server/db';
import { execEventStream } from '$lib/server/exec-stream';
import { incidentExecSummary } from '$lib/server/exec-summary';
import { validateShareToken } from '$lib/server/share-links';

/**
 * The live summary behind a share link. The link is checked again before
 * every push and at its expiry, so revoking it ends open streams too.
 */
export const GET: RequestHandler = async ({ params, request }) => {
	const { db } = await database();
	const link = await validateShareToken(db, params.token);
	if (!link.ok) {
		return link.reason === 'invalid'
			? apiError(404, 'This link is not valid.')
			: apiError(410, `This link has ${link.reason === 'expired' ? 'expired' : 'been revoked'}.`);
	}
	return execEventStream({
		incidentId: link.incidentId,
		signal: request.signal,
		recheckAt: link.expiresAt,
		logFields: { incidentId: link.incidentId, shareLinkId: link.linkId, stream: 'share' },
		load: async () => {
			const current = await validateShareToken(db, params.token);
			if (!current.ok) {
				return {
					gone:
						current.reason === 'expired'
							? 'This link has expired.'
							: current.reason === 'revoked'
								? 'This link has been revoked.'
								: 'This link is not valid.'
				};
			}
			const summary = await incidentExecSummary(db, link.incidentId);
			return summary ? { data: summary } : { gone: 'The incident no longer exists.' };
		}
	});
};
