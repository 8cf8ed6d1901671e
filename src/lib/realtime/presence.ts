/** Presence through Yjs awareness: `{ user: { id, name, color }, idle, view }` per connected client. */

export interface PresenceUser {
	id: string;
	name: string;
	color: string;
}

export interface PresenceState {
	user: PresenceUser;
	/** True after a couple of minutes without input in that tab. */
	idle?: boolean;
	/** What they look at: 'warroom', 'postmortem', 'exec'. */
	view?: string;
}

const PALETTE = [
	'#2563eb',
	'#c2410c',
	'#15803d',
	'#7c3aed',
	'#be185d',
	'#0e7490',
	'#a16207',
	'#4d7c0f'
];

/** A stable colour per user, so a person looks the same in every tab and every browser. */
export function colorFor(userId: string): string {
	// FNV-1a: cheap, and spreads similar ids (same prefix) across the palette.
	let h = 0x811c9dc5;
	for (let i = 0; i < userId.length; i++) h = Math.imul(h ^ userId.charCodeAt(i), 0x01000193) >>> 0;
	return PALETTE[h % PALETTE.length];
}

export function isPresenceState(value: unknown): value is PresenceState {
	if (!value || typeof value !== 'object') return false;
	const user = (value as { user?: unknown }).user;
	if (!user || typeof user !== 'object') return false;
	const u = user as Record<string, unknown>;
	return typeof u.id === 'string' && typeof u.name === 'string' && typeof u.color === 'string';
}

/** One row per person (a person may have several tabs open): idle only if every tab is idle. */
export function peopleHere(
	states: Iterable<unknown>
): (PresenceUser & { idle: boolean; tabs: number })[] {
	const byId = new Map<string, PresenceUser & { idle: boolean; tabs: number }>();
	for (const state of states) {
		if (!isPresenceState(state)) continue;
		const existing = byId.get(state.user.id);
		if (existing) {
			existing.tabs++;
			existing.idle = existing.idle && !!state.idle;
		} else byId.set(state.user.id, { ...state.user, idle: !!state.idle, tabs: 1 });
	}
	return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
}
