/** Accounts: sign-up (the first account becomes admin), credential checks, roles. */
import type { Kysely } from 'kysely';
import type { AccountRole } from '../incident/roles';
import type { Database, UserRow } from './db/schema';
import { decoyPasswordHash, hashPassword, verifyPassword } from './password';
import { newId } from '../doc/incident-doc';

export type PublicUser = { id: string; username: string; displayName: string; role: AccountRole };

export function publicUser(
	row: Pick<UserRow, 'id' | 'username' | 'display_name' | 'role'>
): PublicUser {
	return { id: row.id, username: row.username, displayName: row.display_name, role: row.role };
}

export type SignUpResult = { ok: true; user: PublicUser } | { ok: false; reason: 'taken' };

export async function signUp(
	db: Kysely<Database>,
	input: { username: string; password: string; displayName?: string },
	now = Date.now()
): Promise<SignUpResult> {
	const username = input.username.toLowerCase();
	const passwordHash = await hashPassword(input.password);
	// The first account administers the instance; later ones respond.
	return db.transaction().execute(async (trx) => {
		const existing = await trx
			.selectFrom('users')
			.select('id')
			.where('username', '=', username)
			.executeTakeFirst();
		if (existing) return { ok: false, reason: 'taken' } as const;
		const anyUser = await trx.selectFrom('users').select('id').limit(1).executeTakeFirst();
		const row = {
			id: newId(),
			username,
			display_name: input.displayName?.trim() || input.username,
			password_hash: passwordHash,
			role: (anyUser ? 'responder' : 'admin') as AccountRole,
			created_at: now
		};
		await trx.insertInto('users').values(row).execute();
		return { ok: true, user: publicUser(row) } as const;
	});
}

/** Checks credentials in constant-ish time whether or not the account exists. */
export async function checkCredentials(
	db: Kysely<Database>,
	username: string,
	password: string
): Promise<PublicUser | null> {
	const row = await db
		.selectFrom('users')
		.selectAll()
		.where('username', '=', username.toLowerCase())
		.executeTakeFirst();
	if (!row) {
		await verifyPassword(await decoyPasswordHash(), password);
		return null;
	}
	return (await verifyPassword(row.password_hash, password)) ? publicUser(row) : null;
}

export async function listUsers(db: Kysely<Database>): Promise<PublicUser[]> {
	const rows = await db
		.selectFrom('users')
		.select(['id', 'username', 'display_name', 'role'])
		.orderBy('username')
		.execute();
	return rows.map(publicUser);
}

export async function findUserByUsername(
	db: Kysely<Database>,
	username: string
): Promise<PublicUser | null> {
	const row = await db
		.selectFrom('users')
		.select(['id', 'username', 'display_name', 'role'])
		.where('username', '=', username.toLowerCase())
		.executeTakeFirst();
	return row ? publicUser(row) : null;
}

export type SetRoleResult =
	{ ok: true; user: PublicUser } | { ok: false; reason: 'not_found' | 'last_admin' };

export async function setAccountRole(
	db: Kysely<Database>,
	username: string,
	role: AccountRole
): Promise<SetRoleResult> {
	return db.transaction().execute(async (trx) => {
		const row = await trx
			.selectFrom('users')
			.select(['id', 'username', 'display_name', 'role'])
			.where('username', '=', username.toLowerCase())
			.executeTakeFirst();
		if (!row) return { ok: false, reason: 'not_found' } as const;
		if (row.role === 'admin' && role !== 'admin') {
			const admins = await trx
				.selectFrom('users')
				.select((eb) => eb.fn.countAll<number>().as('n'))
				.where('role', '=', 'admin')
				.executeTakeFirstOrThrow();
			// Never lock everyone out of administration.
			if (Number(admins.n) <= 1) return { ok: false, reason: 'last_admin' } as const;
		}
		await trx.updateTable('users').set({ role }).where('id', '=', row.id).execute();
		return { ok: true, user: publicUser({ ...row, role }) } as const;
	});
}
