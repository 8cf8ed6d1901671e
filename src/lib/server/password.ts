/** Password hashing with argon2id (OWASP's recommended parameters). */
import { hash, verify } from '@node-rs/argon2';

const OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

export function hashPassword(password: string): Promise<string> {
	return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
	try {
		return await verify(passwordHash, password);
	} catch {
		return false;
	}
}

// A real hash to verify against when the account does not exist, so a login
// for an unknown user costs the same time as one for a known user.
let decoyHash: Promise<string> | null = null;
export function decoyPasswordHash(): Promise<string> {
	decoyHash ??= hash('warroom-decoy-password', OPTIONS);
	return decoyHash;
}
