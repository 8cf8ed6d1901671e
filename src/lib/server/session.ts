/**
 * Sessions after Lucia's current guide: a token `<id>.<secret>`, only the
 * SHA-256 of the secret stored, constant-time comparison, and an inactivity
 * timeout that slides forward while the session is used. No SvelteKit
 * imports: the realtime server validates sockets with this same module.
 */
import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import type { Kysely } from 'kysely';
import type { Database, UserRow } from './db/schema';

export const SESSION_COOKIE = 'warroom_session';
/** A session not used for this long is dead. */
export const INACTIVITY_TIMEOUT_MS = 14 * 24 * 60 * 60 * 1000;
/** How often use of a session is written back (sliding renewal without a write per request). */
export const ACTIVITY_CHECK_INTERVAL_MS = 60 * 60 * 1000;

export type SessionUser = Pick<UserRow, 'id' | 'username' | 'display_name' | 'role'>;
export interface Session {
	id: string;
	userId: string;
	createdAt: number;
	lastVerifiedAt: number;
}
export type SessionValidation =
	| { session: Session; user: SessionUser; fresh: boolean }
	| { session: null; user: null; fresh: false };

export function randomSecret(): string {
	const bytes = new Uint8Array(24);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}

export function hashSecret(secret: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(secret)));
}

export async function createSession(
	db: Kysely<Database>,
	userId: string,
	now = Date.now()
): Promise<{ token: string; session: Session }> {
	const id = randomSecret();
	const secret = randomSecret();
	await db
		.insertInto('sessions')
		.values({
			id,
			user_id: userId,
			secret_hash: hashSecret(secret),
			created_at: now,
			last_verified_at: now
		})
		.execute();
	return { token: `${id}.${secret}`, session: { id, userId, createdAt: now, lastVerifiedAt: now } };
}

const INVALID: SessionValidation = { session: null, user: null, fresh: false };

export async function validateSessionToken(
	db: Kysely<Database>,
	token: string | undefined | null,
	now = Date.now()
): Promise<SessionValidation> {
	if (!token) return INVALID;
	const parts = token.split('.');
	if (parts.length !== 2 || !parts[0] || !parts[1]) return INVALID;
	const [id, secret] = parts;
	const row = await db
		.selectFrom('sessions')
		.innerJoin('users', 'users.id', 'sessions.user_id')
		.select([
			'sessions.id as sid',
			'sessions.secret_hash',
			'sessions.created_at',
			'sessions.last_verified_at',
			'users.id as uid',
			'users.username',
			'users.display_name',
			'users.role'
		])
		.where('sessions.id', '=', id)
		.executeTakeFirst();
	if (!row) return INVALID;
	const given = new TextEncoder().encode(hashSecret(secret));
	const stored = new TextEncoder().encode(row.secret_hash);
	if (given.length !== stored.length || !constantTimeEqual(given, stored)) return INVALID;
	if (now - row.last_verified_at >= INACTIVITY_TIMEOUT_MS) {
		await db.deleteFrom('sessions').where('id', '=', id).execute();
		return INVALID;
	}
	let lastVerifiedAt = row.last_verified_at;
	let fresh = false;
	if (now - lastVerifiedAt >= ACTIVITY_CHECK_INTERVAL_MS) {
		lastVerifiedAt = now;
		fresh = true;
		await db.updateTable('sessions').set({ last_verified_at: now }).where('id', '=', id).execute();
	}
	return {
		session: { id: row.sid, userId: row.uid, createdAt: row.created_at, lastVerifiedAt },
		user: { id: row.uid, username: row.username, display_name: row.display_name, role: row.role },
		fresh
	};
}

export async function invalidateSession(db: Kysely<Database>, sessionId: string): Promise<void> {
	await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

export async function invalidateUserSessions(db: Kysely<Database>, userId: string): Promise<void> {
	await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

/** Reads one cookie from a raw `Cookie` header (for WebSocket and Socket.IO handshakes). */
export function readCookie(header: string | undefined, name: string): string | null {
	if (!header) return null;
	for (const part of header.split(';')) {
		const eq = part.indexOf('=');
		if (eq < 0) continue;
		if (part.slice(0, eq).trim() === name) {
			try {
				return decodeURIComponent(part.slice(eq + 1).trim());
			} catch {
				return null;
			}
		}
	}
	return null;
}

/** Max-Age for the cookie: as long as the session can live without use. */
export const SESSION_COOKIE_MAX_AGE_S = Math.floor(INACTIVITY_TIMEOUT_MS / 1000);
