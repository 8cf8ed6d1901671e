import type { RequestHandler } from './$types';
import { apiError } from '$lib/server/api';
import { signUpAndSignIn } from '$lib/server/auth-flow';

export const POST: RequestHandler = async ({ request, cookies, url, getClientAddress }) => {
	let body: unknown;
	try {
		body = await request.json();
	} catch {
		return apiError(400, 'The body must be valid JSON.');
	}
	const result = await signUpAndSignIn(body, {
		cookies,
		secure: url.protocol === 'https:',
		address: getClientAddress()
	});
	if (!result.ok) return apiError(result.status, result.error);
	return Response.json({ user: result.user }, { status: 201 });
};
