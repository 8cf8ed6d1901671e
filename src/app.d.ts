import type { SessionUser, Session } from '$lib/server/session';

declare global {
	namespace App {
		interface Locals {
			user: SessionUser | null;
			session: Session | null;
		}
		interface Error {
			message: string;
		}
	}
}

export {};
