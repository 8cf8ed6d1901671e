/**
 * The one narrow door from SvelteKit server code (form actions, JSON API) to
 * the realtime server that owns live room state. The realtime server
 * registers itself on globalThis at start; SvelteKit's bundle and the
 * server/ modules are separate module graphs, so a module-level variable
 * would not be shared.
 */
import type * as Y from 'yjs';

export interface RealtimeHub {
	/** Apply a server-authored change to an incident's document; resolves once it is durably stored and sent. */
	changeDocument(incidentId: string, change: (doc: Y.Doc) => void): Promise<void>;
	/** Read the current document (loading the room from storage if needed). */
	readDocument<T>(incidentId: string, read: (doc: Y.Doc) => T): Promise<T>;
	/** Tell every client watching the incident that its authoritative state (status, roles, …) changed. */
	incidentChanged(incidentId: string): void;
	/**
	 * Hear changes: `document` after any stored edit of the incident document,
	 * `incident` after any accepted command. Returns the unsubscribe function.
	 * For `document`, `detail` says what the stored batch was.
	 */
	subscribe(
		listener: (incidentId: string, what: 'document' | 'incident', detail?: DocumentChange) => void
	): () => void;
}

export interface DocumentChange {
	/** Whether the batch changed the postmortem text. */
	postmortemChanged: boolean;
	/** The users whose edits in the batch changed the postmortem. */
	postmortemAuthorIds: string[];
}

const KEY = Symbol.for('warroom.realtime-hub');
const slot = globalThis as unknown as Record<symbol, RealtimeHub | undefined>;

export function registerRealtimeHub(hub: RealtimeHub | undefined): void {
	slot[KEY] = hub;
}

export function realtimeHub(): RealtimeHub {
	const hub = slot[KEY];
	if (!hub) throw new Error('realtime server is not running in this process');
	return hub;
}
