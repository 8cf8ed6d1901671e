/**
 * Share links: an expiring, revocable URL that shows one incident's executive
 * page to someone without an account. Pure rules; storage is in
 * src/lib/server/share-links.ts.
 */
import { z } from 'zod';
import { canCommand, type Actor, type Permission } from './permissions';
import type { IncidentRoster } from './roles';

export const SHARE_LINK_DURATIONS = {
	'1h': { label: '1 hour', ms: 60 * 60 * 1000 },
	'24h': { label: '24 hours', ms: 24 * 60 * 60 * 1000 },
	'7d': { label: '7 days', ms: 7 * 24 * 60 * 60 * 1000 }
} as const;
export type ShareLinkDuration = keyof typeof SHARE_LINK_DURATIONS;
export const SHARE_LINK_DURATION_KEYS = Object.keys(SHARE_LINK_DURATIONS) as ShareLinkDuration[];

export const createShareLinkSchema = z.object({
	expiresIn: z.enum(['1h', '24h', '7d'], { message: 'expiresIn must be one of 1h, 24h, 7d' }),
	label: z.string().trim().max(100, 'at most 100 characters').default('')
});

export type ShareLinkState = 'active' | 'expired' | 'revoked';

export function shareLinkState(
	link: { expiresAt: number; revokedAt: number | null },
	now: number
): ShareLinkState {
	if (link.revokedAt !== null) return 'revoked';
	return now >= link.expiresAt ? 'expired' : 'active';
}

/** The commander of the incident or an admin hands out (and takes back) outside access. */
export function canManageShareLinks(actor: Actor, roster: IncidentRoster): Permission {
	return canCommand(actor, roster);
}

/**
 * A share token is `<linkId>.<secret>` (the same shape as a session token, but
 * looked up only in share_links, so neither is ever accepted as the other).
 */
export function parseShareToken(token: string): { id: string; secret: string } | null {
	const parts = token.split('.');
	if (parts.length !== 2) return null;
	const [id, secret] = parts;
	if (!/^[a-z0-9]{16,64}$/.test(id) || !/^[a-z0-9]{16,64}$/.test(secret)) return null;
	return { id, secret };
}
