/**
 * Sign-up and sign-in as the forms and the JSON API both need them:
 * validation, throttling, session creation. Returns results; routes shape responses.
 */
import type { Cookies } from '@sveltejs/kit';
import { loginSchema, signupSchema } from '../auth-schemas';
import { describeIssues } from '../incident/command-schemas';
import { database } from './db';
import { log } from './log';
import { loginRetryAfter, recordLoginFailure, recordLoginSuccess } from './login-throttle';
import { createSession, invalidateSession } from './session';
import { clearSessionCookie, setSessionCookie } from './session-cookie';
import { checkCredentials, signUp, type PublicUser } from './users';

export type AuthResult =
	| { ok: true; user: PublicUser }
	| { ok: false; status: 400 | 401 | 409 | 429; error: string; retryAfter?: number };

interface Context {
	cookies: Cookies;
	secure: boolean;
	address: string;
}

export async function signUpAndSignIn(input: unknown, ctx: Context): Promise<AuthResult> {
	const parsed = signupSchema.safeParse(input);
	if (!parsed.success) return { ok: false, status: 400, error: describeIssues(parsed.error) };
	const { db } = await database();
	const result = await signUp(db, parsed.data);
	if (!result.ok) return { ok: false, status: 409, error: 'username: is already taken' };
	const { token } = await createSession(db, result.user.id);
	setSessionCookie(ctx.cookies, token, ctx.secure);
	log.info('auth.signed_up', { userId: result.user.id, role: result.user.role });
	return { ok: true, user: result.user };
}

const BAD_CREDENTIALS = 'Wrong username or password.';

export async function signIn(input: unknown, ctx: Context): Promise<AuthResult> {
	const parsed = loginSchema.safeParse(input);
	if (!parsed.success) return { ok: false, status: 400, error: describeIssues(parsed.error) };
	const { username, password } = parsed.data;
	const wait = loginRetryAfter(username, ctx.address);
	if (wait > 0) {
		log.warn('auth.throttled', { username, address: ctx.address });
		return {
			ok: false,
			status: 429,
			error: `Too many failed sign-ins. Try again in ${wait} s.`,
			retryAfter: wait
		};
	}
	const { db } = await database();
	const user = await checkCredentials(db, username, password);
	if (!user) {
		recordLoginFailure(username, ctx.address);
		log.info('auth.login_failed', { username, address: ctx.address });
		return { ok: false, status: 401, error: BAD_CREDENTIALS };
	}
	recordLoginSuccess(username);
	const { token } = await createSession(db, user.id);
	setSessionCookie(ctx.cookies, token, ctx.secure);
	log.info('auth.signed_in', { userId: user.id });
	return { ok: true, user };
}

export async function signOut(
	sessionId: string | undefined,
	ctx: Pick<Context, 'cookies' | 'secure'>
) {
	if (sessionId) {
		const { db } = await database();
		await invalidateSession(db, sessionId);
	}
	clearSessionCookie(ctx.cookies, ctx.secure);
}
