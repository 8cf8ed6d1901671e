/**
 * The process-wide database handle. The realtime server (server/) and the
 * SvelteKit bundle are separate module graphs, so the handle lives on
 * globalThis: both find the same one, opened and migrated once.
 */
import { migrateToLatest, openDatabase, optionsFromEnv, type DatabaseHandle } from './connect';

const KEY = Symbol.for('warroom.database');
type Slot = { ready: Promise<DatabaseHandle> };
const globalSlot = globalThis as unknown as Record<symbol, Slot | undefined>;

/** Opens (once per process) and migrates the database configured by the environment. */
export function database(): Promise<DatabaseHandle> {
	let slot = globalSlot[KEY];
	if (!slot) {
		const ready = (async () => {
			const handle = openDatabase(optionsFromEnv());
			await migrateToLatest(handle);
			return handle;
		})();
		slot = { ready };
		globalSlot[KEY] = slot;
		ready.catch(() => {
			if (globalSlot[KEY] === slot) globalSlot[KEY] = undefined;
		});
	}
	return slot.ready;
}

/** Closes the process-wide handle (graceful shutdown, tests). */
export async function closeDatabase(): Promise<void> {
	const slot = globalSlot[KEY];
	if (!slot) return;
	globalSlot[KEY] = undefined;
	const handle = await slot.ready.catch(() => null);
	await handle?.close();
}

export type { DatabaseHandle } from './connect';
export type { Database } from './schema';
