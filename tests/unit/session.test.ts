import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
	migrateToLatest,
	openDatabase,
	type DatabaseHandle
} from '../../src/lib/server/db/connect';
import {
	ACTIVITY_CHECK_INTERVAL_MS,
	createSession,
	hashSecret,
	INACTIVITY_TIMEOUT_MS,
	invalidateSession,
	readCookie,
	validateSessionToken
} from '../../src/lib/server/session';

let handle: DatabaseHandle;
beforeEach(async () => {
	handle = openDatabase({ sqliteFile: ':memory:' });
	await migrateToLatest(handle);
	await handle.db
		.insertInto('users')
		.values({
			id: 'u1',
			username: 'alice',
			display_name: 'Alice',
			password_hash: 'x',
			role: 'responder',
			created_at: 0
		})
		.execute();
});
afterEach(() => handle.close());

describe('sessions', () => {
	it('issues <id>.<secret> tokens and stores only a hash of the secret', async () => {
		const { token, session } = await createSession(handle.db, 'u1', 1000);
		const [id, secret] = token.split('.');
		expect(id).toBe(session.id);
		const row = await handle.db.selectFrom('sessions').selectAll().executeTakeFirstOrThrow();
		expect(row.secret_hash).toBe(hashSecret(secret));
		expect(JSON.stringify(row)).not.toContain(secret);
	});

	it('validates a good token and refuses a wrong secret or a malformed token', async () => {
		const { token } = await createSession(handle.db, 'u1', 1000);
		expect((await validateSessionToken(handle.db, token, 2000)).user?.username).toBe('alice');
		const [id] = token.split('.');
		expect((await validateSessionToken(handle.db, `${id}.wrongsecret`, 2000)).session).toBeNull();
		expect((await validateSessionToken(handle.db, 'garbage', 2000)).session).toBeNull();
		expect((await validateSessionToken(handle.db, '', 2000)).session).toBeNull();
	});

	it('slides the expiry forward when used, at most once per interval', async () => {
		const { token } = await createSession(handle.db, 'u1', 0);
		const soon = await validateSessionToken(handle.db, token, 1000);
		expect(soon.fresh).toBe(false);
		const later = await validateSessionToken(handle.db, token, ACTIVITY_CHECK_INTERVAL_MS + 1);
		expect(later.fresh).toBe(true);
		// Used just before it would have expired from creation: still alive thanks to the renewal.
		const stillAlive = await validateSessionToken(handle.db, token, INACTIVITY_TIMEOUT_MS + 10);
		expect(stillAlive.session).not.toBeNull();
	});

	it('expires after the inactivity timeout and deletes the row', async () => {
		const { token } = await createSession(handle.db, 'u1', 0);
		expect(
			(await validateSessionToken(handle.db, token, INACTIVITY_TIMEOUT_MS)).session
		).toBeNull();
		expect(await handle.db.selectFrom('sessions').selectAll().execute()).toHaveLength(0);
	});

	it('invalidates a session on sign-out', async () => {
		const { token, session } = await createSession(handle.db, 'u1', 0);
		await invalidateSession(handle.db, session.id);
		expect((await validateSessionToken(handle.db, token, 1)).session).toBeNull();
	});

	it('reads a cookie out of a raw header', () => {
		expect(readCookie('a=1; warroom_session=abc.def; b=2', 'warroom_session')).toBe('abc.def');
		expect(readCookie('a=1', 'warroom_session')).toBeNull();
		expect(readCookie(undefined, 'warroom_session')).toBeNull();
	});
});
