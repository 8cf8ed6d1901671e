import type { RequestHandler } from './$types';
import { apiError, readJsonBody } from '$lib/server/api';
import { signUpAndSignIn } from '$lib/server/auth-flow';

export const POST: RequestHandler = async ({ request, cookies, url, getClientAddress }) => {
	const body = await readJsonBody(request);
	if (!body.ok) return body.response;
	const result = await signUpAndSignIn(body.data, {
		cookies,
		secure: url.protocol === 'https:',
		address: getClientAddress()
	});
	if (!result.ok) return apiError(result.status, result.error);
	return Response.json({ user: result.user }, { status: 201 });
};
