/**
 * Authenticates the HTTP request behind a WebSocket upgrade or a Socket.IO
 * handshake: the session cookie through the same session module SvelteKit
 * uses, and the Origin header, because cookie-authenticated sockets are not
 * covered by SvelteKit's CSRF check.
 */
import type { IncomingMessage } from 'node:http';
import type { Kysely } from 'kysely';
import type { Database } from '../src/lib/server/db/schema';
import {
	readCookie,
	SESSION_COOKIE,
	validateSessionToken,
	type SessionUser
} from '../src/lib/server/session';

export type RequestAuth =
	{ ok: true; user: SessionUser } | { ok: false; status: 401 | 403; reason: string };

/**
 * Browsers always send Origin on WebSocket handshakes; scripts and bots send
 * none and authenticate like any client. When present it must name this app:
 * the configured ORIGIN, or else the Host the request came to.
 */
export function originAllowed(
	req: IncomingMessage,
	configuredOrigin = process.env.ORIGIN
): boolean {
	const origin = req.headers.origin;
	if (!origin) return true;
	let parsed: URL;
	try {
		parsed = new URL(origin);
	} catch {
		return false;
	}
	if (configuredOrigin) return parsed.origin === new URL(configuredOrigin).origin;
	return parsed.host === req.headers.host;
}

export async function authenticateRequest(
	db: Kysely<Database>,
	req: IncomingMessage
): Promise<RequestAuth> {
	if (!originAllowed(req)) return { ok: false, status: 403, reason: 'origin not allowed' };
	const token = readCookie(req.headers.cookie, SESSION_COOKIE);
	if (!token) return { ok: false, status: 401, reason: 'not signed in' };
	const { user } = await validateSessionToken(db, token);
	if (!user) return { ok: false, status: 401, reason: 'session expired or invalid' };
	return { ok: true, user };
}
