/**
 * Share links as stored: only the SHA-256 of the secret half of the token is
 * kept, compared in constant time, like sessions. No SvelteKit imports.
 */
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import type { Kysely } from 'kysely';
import {
	parseShareToken,
	SHARE_LINK_DURATIONS,
	shareLinkState,
	type ShareLinkDuration,
	type ShareLinkState
} from '../incident/share-links';
import { canManageShareLinks } from '../incident/share-links';
import type { Database } from './db/schema';
import { getIncidentRow, rosterOf } from './incidents';
import { log } from './log';
import { realtimeHub } from './realtime-hub';
import { hashSecret, randomSecret, type SessionUser } from './session';

export type ShareLinkAccess = { ok: true } | { ok: false; status: 404 | 403; error: string };

/** Only the incident's commander or an admin lists, creates and revokes its share links. */
export async function shareLinkAccess(
	db: Kysely<Database>,
	user: Pick<SessionUser, 'id' | 'role'>,
	incidentId: string
): Promise<ShareLinkAccess> {
	const row = await getIncidentRow(db, incidentId);
	if (!row) return { ok: false, status: 404, error: 'No such incident.' };
	const allowed = canManageShareLinks(user, await rosterOf(db, row));
	if (!allowed.ok) {
		return {
			ok: false,
			status: 403,
			error:
				user.role === 'viewer'
					? allowed.reason
					: 'Only the incident commander or an admin manages share links.'
		};
	}
	return { ok: true };
}

export interface ShareLinkView {
	id: string;
	incidentId: string;
	label: string;
	createdBy: { id: string; displayName: string } | null;
	createdAt: number;
	expiresAt: number;
	revokedAt: number | null;
	state: ShareLinkState;
}

export async function createShareLink(
	db: Kysely<Database>,
	input: { incidentId: string; createdBy: string; expiresIn: ShareLinkDuration; label: string },
	now = Date.now()
): Promise<{ token: string; link: ShareLinkView }> {
	const id = randomSecret();
	const secret = randomSecret();
	const expiresAt = now + SHARE_LINK_DURATIONS[input.expiresIn].ms;
	await db
		.insertInto('share_links')
		.values({
			id,
			incident_id: input.incidentId,
			token_hash: hashSecret(secret),
			label: input.label,
			created_by: input.createdBy,
			created_at: now,
			expires_at: expiresAt
		})
		.execute();
	log.info('share_link.created', {
		incidentId: input.incidentId,
		userId: input.createdBy,
		linkId: id,
		expiresAt
	});
	const link = (await listShareLinks(db, input.incidentId, now)).find((l) => l.id === id)!;
	return { token: `${id}.${secret}`, link };
}

export async function listShareLinks(
	db: Kysely<Database>,
	incidentId: string,
	now = Date.now()
): Promise<ShareLinkView[]> {
	const rows = await db
		.selectFrom('share_links')
		.leftJoin('users', 'users.id', 'share_links.created_by')
		.select([
			'share_links.id',
			'share_links.incident_id',
			'share_links.label',
			'share_links.created_by',
			'share_links.created_at',
			'share_links.expires_at',
			'share_links.revoked_at',
			'users.display_name'
		])
		.where('share_links.incident_id', '=', incidentId)
		.orderBy('share_links.created_at', 'desc')
		.execute();
	return rows.map((r) => {
		const expiresAt = Number(r.expires_at);
		const revokedAt = r.revoked_at === null ? null : Number(r.revoked_at);
		return {
			id: r.id,
			incidentId: r.incident_id,
			label: r.label,
			createdBy: r.display_name ? { id: r.created_by, displayName: r.display_name } : null,
			createdAt: Number(r.created_at),
			expiresAt,
			revokedAt,
			state: shareLinkState({ expiresAt, revokedAt }, now)
		};
	});
}

export type RevokeResult = { ok: true; link: ShareLinkView } | { ok: false; reason: 'not_found' };

/** Revoking twice is harmless: the first revocation time stays. */
export async function revokeShareLink(
	db: Kysely<Database>,
	incidentId: string,
	linkId: string,
	by: string,
	now = Date.now()
): Promise<RevokeResult> {
	await db
		.updateTable('share_links')
		.set({ revoked_at: now })
		.where('id', '=', linkId)
		.where('incident_id', '=', incidentId)
		.where('revoked_at', 'is', null)
		.execute();
	const link = (await listShareLinks(db, incidentId, now)).find((l) => l.id === linkId);
	if (!link) return { ok: false, reason: 'not_found' };
	log.info('share_link.revoked', { incidentId, userId: by, linkId });
	// Open share streams re-check their link on every push: make one happen now.
	try {
		realtimeHub().incidentChanged(incidentId);
	} catch (err) {
		log.error('share_link.notify_failed', { incidentId, linkId, err });
	}
	return { ok: true, link };
}

export type ShareTokenValidation =
	| { ok: true; linkId: string; incidentId: string; expiresAt: number }
	| { ok: false; reason: 'invalid' | 'expired' | 'revoked' };

/** What a share token grants: one incident's executive view, while the link lives. */
export async function validateShareToken(
	db: Kysely<Database>,
	token: string | null | undefined,
	now = Date.now()
): Promise<ShareTokenValidation> {
	const parsed = token ? parseShareToken(token) : null;
	if (!parsed) return { ok: false, reason: 'invalid' };
	const row = await db
		.selectFrom('share_links')
		.select(['id', 'incident_id', 'token_hash', 'expires_at', 'revoked_at'])
		.where('id', '=', parsed.id)
		.executeTakeFirst();
	if (!row) return { ok: false, reason: 'invalid' };
	const given = new TextEncoder().encode(hashSecret(parsed.secret));
	const stored = new TextEncoder().encode(row.token_hash);
	if (given.length !== stored.length || !constantTimeEqual(given, stored)) {
		return { ok: false, reason: 'invalid' };
	}
	const expiresAt = Number(row.expires_at);
	const state = shareLinkState(
		{ expiresAt, revokedAt: row.revoked_at === null ? null : Number(row.revoked_at) },
		now
	);
	if (state !== 'active') return { ok: false, reason: state };
	return { ok: true, linkId: row.id, incidentId: row.incident_id, expiresAt };
}
