import type { RequestHandler } from './$types';
import { apiError, readJsonBody } from '$lib/server/api';
import { signIn } from '$lib/server/auth-flow';

export const POST: RequestHandler = async ({ request, cookies, url, getClientAddress }) => {
	const body = await readJsonBody(request);
	if (!body.ok) return body.response;
	const result = await signIn(body.data, {
		cookies,
		secure: url.protocol === 'https:',
		address: getClientAddress()
	});
	if (!result.ok) {
		const headers = result.retryAfter ? { 'Retry-After': String(result.retryAfter) } : undefined;
		return apiError(result.status, result.error, headers);
	}
	return Response.json({ user: result.user });
};
