import type { RequestHandler } from './$types';
import { database } from '$lib/server/db';
import { getIncident } from '$lib/server/incidents';
import { currentPostmortemText } from '$lib/server/postmortem-versions';

function slug(title: string): string {
	const s = title
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, 60);
	return s || 'incident';
}

/** The current postmortem as a Markdown download (viewers included; not signed out). */
export const GET: RequestHandler = async ({ locals, params }) => {
	if (!locals.user) return Response.json({ error: 'Sign in first.' }, { status: 401 });
	const { db } = await database();
	const incident = await getIncident(db, params.id);
	if (!incident) return Response.json({ error: 'No such incident.' }, { status: 404 });
	const text = await currentPostmortemText(incident.id);
	return new Response(text, {
		headers: {
			'content-type': 'text/markdown; charset=utf-8',
			'content-disposition': `attachment; filename="postmortem-${slug(incident.title)}.md"`,
			'cache-control': 'no-store'
		}
	});
};
