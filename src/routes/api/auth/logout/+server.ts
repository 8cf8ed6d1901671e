import type { RequestHandler } from './$types';
import { signOut } from '$lib/server/auth-flow';

export const POST: RequestHandler = async ({ locals, cookies, url }) => {
	await signOut(locals.session?.id, { cookies, secure: url.protocol === 'https:' });
	return new Response(null, { status: 204 });
};
