import type { RequestHandler } from './$types';
import { apiError, apiUser } from '$lib/server/api';
import { database } from '$lib/server/db';
import { revokeShareLink, shareLinkAccess } from '$lib/server/share-links';

/** Revokes the link (kept in the list as revoked); pages and streams using it stop at once. */
export const DELETE: RequestHandler = async (event) => {
	const user = apiUser(event);
	const { db } = await database();
	const access = await shareLinkAccess(db, user, event.params.id);
	if (!access.ok) return apiError(access.status, access.error);
	const result = await revokeShareLink(db, event.params.id, event.params.linkId, user.id);
	if (!result.ok) return apiError(404, 'No such share link.');
	return Response.json({ link: result.link });
};
