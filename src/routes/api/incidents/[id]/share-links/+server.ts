import type { RequestHandler } from './$types';
import { createShareLinkSchema } from '$lib/incident/share-links';
import { apiError, apiUser, readJson } from '$lib/server/api';
import { database } from '$lib/server/db';
import { createShareLink, listShareLinks, shareLinkAccess } from '$lib/server/share-links';

export const GET: RequestHandler = async (event) => {
	const user = apiUser(event);
	const { db } = await database();
	const access = await shareLinkAccess(db, user, event.params.id);
	if (!access.ok) return apiError(access.status, access.error);
	return Response.json({ links: await listShareLinks(db, event.params.id) });
};

/** The token is in this answer only: the server keeps its hash. */
export const POST: RequestHandler = async (event) => {
	const user = apiUser(event);
	const { db } = await database();
	const access = await shareLinkAccess(db, user, event.params.id);
	if (!access.ok) return apiError(access.status, access.error);
	const body = await readJson(event.request, createShareLinkSchema);
	if (!body.ok) return body.response;
	const { token, link } = await createShareLink(db, {
		incidentId: event.params.id,
		createdBy: user.id,
		expiresIn: body.data.expiresIn,
		label: body.data.label
	});
	return Response.json(
		{ link, token, url: new URL(`/share/${token}`, event.url).href },
		{ status: 201 }
	);
};
