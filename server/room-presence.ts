/**
 * Presence in a room: the Yjs awareness states of its clients, echoed to every
 * connection (the sender too: a lone stock client that hears nothing for 30 s
 * reconnects), and removed when the connection that introduced them leaves.
 */
import type * as Y from 'yjs';
import {
	Awareness,
	applyAwarenessUpdate,
	encodeAwarenessUpdate,
	removeAwarenessStates
} from 'y-protocols/awareness';
import { encodeAwarenessMessage } from './yjs-messages';

type AwarenessChange = { added: number[]; updated: number[]; removed: number[] };

export class RoomPresence<Conn extends object> {
	readonly awareness: Awareness;
	/** Which connection last set each awareness client id. */
	private readonly owners = new Map<number, Conn>();

	constructor(
		doc: Y.Doc,
		private readonly isConnection: (origin: unknown) => origin is Conn,
		private readonly broadcast: (message: Uint8Array) => void
	) {
		this.awareness = new Awareness(doc);
		this.awareness.setLocalState(null); // the server is not a participant
		this.awareness.on('update', this.onUpdate);
	}

	/** Applies an awareness update that has been validated in full (y-protocols applies as it reads). */
	apply(conn: Conn, update: Uint8Array): void {
		applyAwarenessUpdate(this.awareness, update, conn);
	}

	/** Every current state as one awareness message, or null when nobody is present. */
	statesMessage(): Uint8Array | null {
		const ids = [...this.awareness.getStates().keys()];
		if (ids.length === 0) return null;
		return encodeAwarenessMessage(encodeAwarenessUpdate(this.awareness, ids));
	}

	/** Removes (and announces the removal of) the states this connection introduced. */
	removeConnection(conn: Conn): void {
		const owned = [...this.owners].filter(([, owner]) => owner === conn).map(([id]) => id);
		if (owned.length > 0) removeAwarenessStates(this.awareness, owned, 'connection closed');
	}

	destroy(): void {
		this.owners.clear();
		this.awareness.off('update', this.onUpdate);
		this.awareness.destroy();
	}

	private readonly onUpdate = (change: AwarenessChange, origin: unknown): void => {
		if (this.isConnection(origin)) {
			// `updated` too: a client that reconnects with the same id is not "added" again.
			for (const id of [...change.added, ...change.updated]) this.owners.set(id, origin);
		}
		for (const id of change.removed) this.owners.delete(id);
		const changed = [...change.added, ...change.updated, ...change.removed];
		this.broadcast(encodeAwarenessMessage(encodeAwarenessUpdate(this.awareness, changed)));
	};
}
