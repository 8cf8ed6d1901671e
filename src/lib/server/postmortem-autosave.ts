/**
 * Automatic postmortem versions: after a burst of postmortem editing settles
 * (no postmortem change for `quietMs`), a version is taken, crediting everyone
 * whose edits changed the postmortem since the previous version. Starts with
 * the realtime server and hears every stored change through the hub.
 *
 * The pending state lives on globalThis: lifecycle and manual versions are
 * taken from the SvelteKit bundle and from server/ (separate module graphs),
 * and each must consume the same authors.
 */
import type { Kysely } from 'kysely';
import { postmortemOf } from '../doc/incident-doc';
import type { Database } from './db/schema';
import { log } from './log';
import type { RealtimeHub } from './realtime-hub';

interface Pending {
	/** The text of the latest version; undefined until loaded. */
	baseline: string | undefined;
	/** The text at the last check, to tell which commits changed the postmortem. */
	lastSeen: string | undefined;
	/** Users whose commits arrived since the last check. */
	recent: Set<string>;
	/** Users who changed the postmortem since the latest version. */
	authors: Set<string>;
	timer: NodeJS.Timeout | null;
	/** Checks run one at a time per incident, in commit order. */
	chain: Promise<void>;
	/** A check is queued and has not read the document yet: it will cover later commits too. */
	checkQueued: boolean;
}

interface AutosaveState {
	pending: Map<string, Pending>;
}

const KEY = Symbol.for('warroom.postmortem-autosave');
const slot = globalThis as unknown as Record<symbol, AutosaveState | undefined>;

function state(): AutosaveState {
	return (slot[KEY] ??= { pending: new Map() });
}

function entryFor(incidentId: string): Pending {
	const { pending } = state();
	let entry = pending.get(incidentId);
	if (!entry) {
		entry = {
			baseline: undefined,
			lastSeen: undefined,
			recent: new Set(),
			authors: new Set(),
			timer: null,
			chain: Promise.resolve(),
			checkQueued: false
		};
		pending.set(incidentId, entry);
	}
	return entry;
}

/**
 * Called as a version is stored: returns who changed the postmortem since the
 * previous version and starts counting afresh from `text`.
 */
export function takePostmortemAuthors(incidentId: string, text: string): string[] {
	const entry = state().pending.get(incidentId);
	if (!entry) return [];
	const authors = [...entry.authors];
	entry.authors.clear();
	entry.baseline = text;
	if (entry.timer) clearTimeout(entry.timer);
	entry.timer = null;
	return authors;
}

/** Credits a user with a postmortem change the server made for them (template, timeline refresh). */
export function notePostmortemAuthor(incidentId: string, userId: string): void {
	entryFor(incidentId).recent.add(userId);
}

export interface AutosaveOptions {
	/** How long the postmortem must be quiet before an automatic version (ms). */
	quietMs?: number;
	/** Takes the automatic version (postmortem-versions.ts; injected to keep this module free of a cycle). */
	takeAutoVersion: (incidentId: string) => Promise<unknown>;
	/** The latest version's text, or null if there is none. */
	latestText: (incidentId: string) => Promise<string | null>;
}

export interface Autosave {
	/** Stops listening; versions bursts still unsaved so a shutdown loses no history. */
	stop(): Promise<void>;
}

export function startPostmortemAutosave(
	_db: Kysely<Database>,
	hub: RealtimeHub,
	options: AutosaveOptions
): Autosave {
	const quietMs = options.quietMs ?? Number(process.env.POSTMORTEM_AUTOSAVE_QUIET_MS || 60_000);
	const { pending } = state();
	let stopped = false;

	const save = (incidentId: string) => {
		const entry = pending.get(incidentId);
		if (entry) entry.timer = null;
		options
			.takeAutoVersion(incidentId)
			.catch((err) => log.error('postmortem.autosave_failed', { incidentId, err }));
	};

	const check = async (incidentId: string, entry: Pending) => {
		if (entry.baseline === undefined) entry.baseline = (await options.latestText(incidentId)) ?? '';
		const { text, credited } = await hub.readDocument(incidentId, (doc) => {
			// Everyone whose commit is in the document now; later commits get their own check.
			entry.checkQueued = false;
			const credited = [...entry.recent];
			entry.recent.clear();
			return { text: postmortemOf(doc).toString(), credited };
		});
		const changed =
			entry.lastSeen === undefined ? text !== entry.baseline : text !== entry.lastSeen;
		entry.lastSeen = text;
		if (!changed) return;
		for (const id of credited) entry.authors.add(id);
		if (entry.timer) clearTimeout(entry.timer);
		entry.timer = null;
		if (text !== entry.baseline && !stopped) {
			entry.timer = setTimeout(() => save(incidentId), quietMs);
			entry.timer.unref();
		}
	};

	const unsubscribe = hub.subscribe((incidentId, what, detail) => {
		// Timeline notes and checklist ticks neither change the postmortem nor make their authors its authors.
		if (what !== 'document' || stopped || detail?.postmortemChanged === false) return;
		const entry = entryFor(incidentId);
		for (const id of detail?.postmortemAuthorIds ?? []) entry.recent.add(id);
		// Under a burst of commits one queued check covers them all: one read, not one per commit.
		if (entry.checkQueued) return;
		entry.checkQueued = true;
		entry.chain = entry.chain
			.then(() => check(incidentId, entry))
			.catch((err) => {
				entry.checkQueued = false;
				log.error('postmortem.autosave_check_failed', { incidentId, err });
			});
	});

	return {
		async stop() {
			stopped = true;
			unsubscribe();
			const flushes: Promise<unknown>[] = [];
			for (const [incidentId, entry] of pending) {
				flushes.push(
					entry.chain.then(async () => {
						if (!entry.timer) return;
						clearTimeout(entry.timer);
						entry.timer = null;
						await options
							.takeAutoVersion(incidentId)
							.catch((err) => log.error('postmortem.autosave_failed', { incidentId, err }));
					})
				);
			}
			await Promise.all(flushes);
			pending.clear();
		}
	};
}
