import { describe, expect, it } from 'vitest';
import {
	canManageShareLinks,
	createShareLinkSchema,
	parseShareToken,
	SHARE_LINK_DURATIONS,
	shareLinkState
} from '../../src/lib/incident/share-links';
import { migrateToLatest, openDatabase } from '../../src/lib/server/db/connect';
import { hashSecret, validateSessionToken } from '../../src/lib/server/session';
import {
	createShareLink,
	listShareLinks,
	revokeShareLink,
	validateShareToken
} from '../../src/lib/server/share-links';

process.env.LOG_LEVEL ??= 'silent';
const HOUR = 60 * 60 * 1000;

describe('share link rules', () => {
	it('offers 1 hour, 24 hours and 7 days', () => {
		expect(Object.keys(SHARE_LINK_DURATIONS)).toEqual(['1h', '24h', '7d']);
		expect(SHARE_LINK_DURATIONS['7d'].ms).toBe(7 * 24 * HOUR);
	});

	it('validates the create body and names the field', () => {
		expect(createShareLinkSchema.safeParse({ expiresIn: '24h' }).data).toEqual({
			expiresIn: '24h',
			label: ''
		});
		expect(createShareLinkSchema.safeParse({ expiresIn: '30d' }).success).toBe(false);
		expect(
			createShareLinkSchema.safeParse({ expiresIn: '1h', label: 'x'.repeat(101) }).success
		).toBe(false);
	});

	it('is active until it expires or is revoked', () => {
		expect(shareLinkState({ expiresAt: 10, revokedAt: null }, 9)).toBe('active');
		expect(shareLinkState({ expiresAt: 10, revokedAt: null }, 10)).toBe('expired');
		expect(shareLinkState({ expiresAt: 10, revokedAt: 5 }, 6)).toBe('revoked');
	});

	it('lets only the commander or an admin manage links', () => {
		const roster = { commander: 'ic', comms: 'c', scribe: null, smes: ['s'] };
		expect(canManageShareLinks({ id: 'ic', role: 'responder' }, roster).ok).toBe(true);
		expect(canManageShareLinks({ id: 'x', role: 'admin' }, roster).ok).toBe(true);
		expect(canManageShareLinks({ id: 'c', role: 'responder' }, roster).ok).toBe(false);
		expect(canManageShareLinks({ id: 'ic', role: 'viewer' }, roster).ok).toBe(false);
	});

	it('parses only well-formed tokens', () => {
		expect(parseShareToken('abcdefghijklmnop.qrstuvwxyz234567')).toEqual({
			id: 'abcdefghijklmnop',
			secret: 'qrstuvwxyz234567'
		});
		for (const bad of [
			'',
			'abc',
			'a.b',
			'abcdefghijklmnop.',
			'x.y.z',
			'ABCDEFGHIJKLMNOP.QRSTUVWXYZ234567'
		])
			expect(parseShareToken(bad)).toBeNull();
	});
});

describe('share link storage', () => {
	async function setup() {
		const handle = openDatabase({ sqliteFile: ':memory:' });
		await migrateToLatest(handle);
		const { db } = handle;
		await db
			.insertInto('users')
			.values({
				id: 'u1',
				username: 'alice',
				display_name: 'Alice',
				password_hash: 'x',
				role: 'admin',
				created_at: 0
			})
			.execute();
		await db
			.insertInto('incidents')
			.values({
				id: 'inc1',
				title: 't',
				severity: 'SEV2',
				status: 'investigating',
				summary: '',
				detection_source: 'alert',
				drill: 0,
				started_at: 0,
				detected_at: 0,
				declared_at: 0,
				mitigated_at: null,
				resolved_at: null,
				closed_at: null,
				created_by: 'u1',
				commander_id: 'u1',
				comms_lead_id: null,
				scribe_id: null,
				category: null,
				updated_at: 0
			})
			.execute();
		return handle;
	}

	it('stores only the hash of the secret and validates the token until expiry', async () => {
		const handle = await setup();
		const { db } = handle;
		const now = 1_000_000;
		const { token, link } = await createShareLink(
			db,
			{ incidentId: 'inc1', createdBy: 'u1', expiresIn: '1h', label: 'CEO' },
			now
		);
		const [id, secret] = token.split('.');
		const row = await db.selectFrom('share_links').selectAll().executeTakeFirstOrThrow();
		expect(row.id).toBe(id);
		expect(row.token_hash).toBe(hashSecret(secret));
		expect(JSON.stringify(row)).not.toContain(secret);
		expect(link).toMatchObject({ label: 'CEO', state: 'active', expiresAt: now + HOUR });
		expect(link.createdBy).toEqual({ id: 'u1', displayName: 'Alice' });

		expect(await validateShareToken(db, token, now + 1)).toMatchObject({
			ok: true,
			incidentId: 'inc1'
		});
		expect(await validateShareToken(db, token, now + HOUR)).toEqual({
			ok: false,
			reason: 'expired'
		});
		await handle.close();
	});

	it('refuses a wrong secret, an unknown id and garbage alike', async () => {
		const handle = await setup();
		const { db } = handle;
		const { token } = await createShareLink(db, {
			incidentId: 'inc1',
			createdBy: 'u1',
			expiresIn: '24h',
			label: ''
		});
		const [id] = token.split('.');
		const wrong = `${id}.${'a'.repeat(39)}`;
		for (const t of [wrong, `${'b'.repeat(39)}.${'a'.repeat(39)}`, 'nonsense', '', null])
			expect(await validateShareToken(db, t)).toEqual({ ok: false, reason: 'invalid' });
		await handle.close();
	});

	it('is dead once revoked, and revoking twice keeps the first time', async () => {
		const handle = await setup();
		const { db } = handle;
		const { token, link } = await createShareLink(
			db,
			{ incidentId: 'inc1', createdBy: 'u1', expiresIn: '7d', label: '' },
			0
		);
		const first = await revokeShareLink(db, 'inc1', link.id, 'u1', 10);
		expect(first).toMatchObject({ ok: true, link: { revokedAt: 10, state: 'revoked' } });
		await revokeShareLink(db, 'inc1', link.id, 'u1', 20);
		expect((await listShareLinks(db, 'inc1', 30))[0].revokedAt).toBe(10);
		expect(await validateShareToken(db, token, 11)).toEqual({ ok: false, reason: 'revoked' });
		expect(await revokeShareLink(db, 'inc1', 'nope', 'u1')).toEqual({
			ok: false,
			reason: 'not_found'
		});
		expect(await revokeShareLink(db, 'other', link.id, 'u1')).toEqual({
			ok: false,
			reason: 'not_found'
		});
		await handle.close();
	});

	it('is never accepted as a session token', async () => {
		const handle = await setup();
		const { db } = handle;
		const { token } = await createShareLink(db, {
			incidentId: 'inc1',
			createdBy: 'u1',
			expiresIn: '1h',
			label: ''
		});
		expect((await validateSessionToken(db, token)).session).toBeNull();
		await handle.close();
	});
});
