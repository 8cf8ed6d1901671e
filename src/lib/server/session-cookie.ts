/** Setting and clearing the session cookie from SvelteKit. */
import type { Cookies } from '@sveltejs/kit';
import { SESSION_COOKIE, SESSION_COOKIE_MAX_AGE_S } from './session';

export function setSessionCookie(cookies: Cookies, token: string, secure: boolean): void {
	cookies.set(SESSION_COOKIE, token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure,
		maxAge: SESSION_COOKIE_MAX_AGE_S
	});
}

export function clearSessionCookie(cookies: Cookies, secure: boolean): void {
	cookies.delete(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure });
}
