import type { Handle, HandleServerError } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { database } from '$lib/server/db';
import { log } from '$lib/server/log';
import { SESSION_COOKIE, validateSessionToken } from '$lib/server/session';
import { clearSessionCookie, setSessionCookie } from '$lib/server/session-cookie';

/** Resolves the session cookie into `locals.user`, renewing it while it is used. */
const authenticate: Handle = async ({ event, resolve }) => {
	const token = event.cookies.get(SESSION_COOKIE);
	event.locals.user = null;
	event.locals.session = null;
	if (token) {
		const { db } = await database();
		const result = await validateSessionToken(db, token);
		const secure = event.url.protocol === 'https:';
		if (result.session) {
			event.locals.user = result.user;
			event.locals.session = result.session;
			if (result.fresh) setSessionCookie(event.cookies, token, secure);
		} else {
			clearSessionCookie(event.cookies, secure);
		}
	}
	return resolve(event);
};

/** API errors are JSON `{ error }`; a signed-out caller gets 401 from every /api route but signup and login. */
const guardApi: Handle = async ({ event, resolve }) => {
	const path = event.url.pathname;
	if (path.startsWith('/api/') && !path.startsWith('/api/auth/') && !event.locals.user) {
		return Response.json({ error: 'Sign in first.' }, { status: 401 });
	}
	return resolve(event);
};

export const handle = sequence(authenticate, guardApi);

export const handleError: HandleServerError = ({ error, event, status }) => {
	if (status !== 404) {
		log.error('http.unexpected_error', {
			path: event.url.pathname,
			userId: event.locals.user?.id,
			err: error instanceof Error ? error : new Error(String(error))
		});
	}
	return { message: status === 404 ? 'Not found' : 'Something went wrong on our side.' };
};
