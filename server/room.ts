/**
 * One loaded incident: its live Y.Doc, presence and the sockets in it. Every
 * write, a client's or the server's, takes one path, one at a time on a
 * promise chain: try it on the shadow copy, append it durably, apply it to the
 * live document, broadcast it. The live document therefore only ever holds
 * what is stored, and that is all anyone is ever sent.
 */
import * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import type { BackgroundQueue } from './background-queue';
import { newIncidentDoc, postmortemOf, type ChecklistItem } from '../src/lib/doc/incident-doc';
import { log } from '../src/lib/server/log';
import { recordCompletion, watchChecklistCompletions } from './checklist-completions';
import { RoomCompaction } from './room-compaction';
import { RoomPresence } from './room-presence';
import { SERVER_ORIGIN, ShadowDoc } from './room-shadow';
import type { RoomStore } from './room-store';
import {
	encodeSyncStep1,
	encodeSyncStep2,
	encodeUpdateMessage,
	isAlreadyApplied,
	isEmptyStateVector,
	type DecodedUpdate
} from './yjs-messages';

export interface ConnectionContext {
	incidentId: string;
	userId: string;
	userName: string;
	readOnly: boolean;
}

/** What a room needs of a socket (yjs-connection.ts). */
export interface RoomConnection {
	readonly ctx: ConnectionContext;
	send(message: Uint8Array): void;
	close(code: number, reason: string): void;
}

export interface RoomOptions {
	store: RoomStore;
	/** Fold the update log into the compacted state once this many rows have piled up. */
	compactAfterUpdates: number;
	/** Where compactions wait their turn (shared by the rooms of a registry). */
	background: BackgroundQueue;
	/** Called each time the room is left with no connections and no callers. */
	onIdle: (room: Room) => void;
	/** The previous instance of this room unloading: load only after it has stored everything. */
	after?: Promise<unknown>;
	/** Called after each stored and broadcast change (clients' or the server's). */
	onCommitted?: (room: Room, commit: CommitInfo) => void;
}

/** What a stored and broadcast change was. */
export interface CommitInfo {
	/** The change as one Yjs update. */
	update: Uint8Array;
	/** Whether it changed the postmortem text (autosave looks only at those). */
	postmortemChanged: boolean;
	/** The users whose writes in it changed the postmortem: its authors. */
	postmortemAuthorIds: string[];
}

/** `author` is null for a server change (already made on the shadow). */
interface PendingWrite {
	update: Uint8Array;
	author: RoomConnection | null;
}

const LOAD_ORIGIN = Symbol('warroom.load');

export class Room {
	/** What is stored: clients are served from it and nothing else. */
	readonly doc = newIncidentDoc();
	/** Settles once the stored state is in `doc`; nothing is answered before. */
	readonly loaded: Promise<void>;
	/** Built on first write or read, not at load: a join should not wait for a second copy. */
	private shadow: ShadowDoc | null = null;
	private isLoaded = false;
	/**
	 * The stored state as loaded, until the first write: what a fresh client is sent, saving
	 * an encode of the whole document per join (hundreds of ms for a large incident).
	 */
	private loadedState: Uint8Array | null = null;
	private readonly presence: RoomPresence<RoomConnection>;
	private readonly connections = new Set<RoomConnection>();
	/** Every connection ever added, to tell client transactions from ours. */
	private readonly clients = new WeakSet<object>();
	private chain: Promise<unknown>;
	private batch: PendingWrite[] | null = null;
	private readonly compaction: RoomCompaction;
	/** Connections plus in-flight `change`/`read` callers; the room may unload only at zero. */
	private users = 0;
	private accepting = true;
	private destroyed = false;
	private readonly stopWatching: () => void;
	/** Set while applying an update when its transaction changed the postmortem. */
	private postmortemTouched = false;
	private readonly notePostmortem = (tr: Y.Transaction) => {
		// `as never`: Yjs types its map by the base type; Y.Text's event type does not fit it.
		if (tr.changed.has(postmortemOf(this.doc) as never)) this.postmortemTouched = true;
	};

	constructor(
		readonly incidentId: string,
		private readonly options: RoomOptions
	) {
		this.presence = new RoomPresence(this.doc, this.isConnection, (message) =>
			this.broadcast(message, null)
		);
		this.stopWatching = watchChecklistCompletions(this.doc, this.isConnection, (item, origin) =>
			this.noteCompletion(item, origin as RoomConnection)
		);
		this.doc.on('afterTransaction', this.notePostmortem);
		this.compaction = new RoomCompaction(
			options.store,
			incidentId,
			options.compactAfterUpdates,
			options.background
		);
		this.loaded = this.load(options.after);
		// Callers see a failed load through `loaded`; this only keeps it from being "unhandled".
		// Starting the chain there means no queued work can run against a document not yet loaded.
		this.chain = this.loaded.catch(() => {});
	}

	get awareness(): Awareness {
		return this.presence.awareness;
	}

	get connectionCount(): number {
		return this.connections.size;
	}

	get idle(): boolean {
		return this.users === 0;
	}

	private readonly isConnection = (origin: unknown): origin is RoomConnection =>
		typeof origin === 'object' && origin !== null && this.clients.has(origin);

	private async load(after?: Promise<unknown>): Promise<void> {
		await after?.catch(() => {});
		const started = performance.now();
		try {
			const stored = await this.options.store.loadDocument(this.incidentId);
			if (this.destroyed) throw new Error('room closed while loading');
			Y.applyUpdate(this.doc, stored.state, LOAD_ORIGIN);
			this.isLoaded = true;
			this.loadedState = stored.state;
			this.compaction.loaded(stored.lastSeq, stored.uncompacted);
			log.info('yjs.room_loaded', {
				incidentId: this.incidentId,
				bytes: stored.state.byteLength,
				lastSeq: stored.lastSeq,
				uncompacted: stored.uncompacted,
				ms: Math.round(performance.now() - started)
			});
		} catch (err) {
			log.error('yjs.room_load_failed', { incidentId: this.incidentId, err });
			this.destroy(1011, 'could not load incident');
			throw err;
		}
	}

	addConnection(conn: RoomConnection): void {
		this.connections.add(conn);
		this.clients.add(conn);
		this.users++;
	}

	removeConnection(conn: RoomConnection): void {
		if (!this.connections.delete(conn)) return;
		if (!this.destroyed) this.presence.removeConnection(conn);
		this.release();
	}

	retain(): void {
		this.users++;
	}

	release(): void {
		this.users--;
		if (this.users === 0 && !this.destroyed) this.options.onIdle(this);
	}

	/**
	 * Queues a decoded client update. Updates that arrive while the room's previous
	 * write is being stored wait and are stored together; the store's group commit
	 * then joins this tick's writes of every room into one transaction.
	 */
	receiveUpdate(author: RoomConnection, update: Uint8Array): void {
		if (!this.accepting) return;
		if (this.batch) {
			this.batch.push({ update, author });
			return;
		}
		const batch: PendingWrite[] = [{ update, author }];
		this.batch = batch;
		void this.enqueue(async () => {
			if (this.batch === batch) this.batch = null;
			await this.commit(batch).catch(() => {}); // logged and writers closed inside
		});
	}

	/** Whether the document already holds all of a decoded update (see isAlreadyApplied). */
	holds(decoded: DecodedUpdate): boolean {
		return this.isLoaded && !this.destroyed && isAlreadyApplied(this.doc, decoded);
	}

	/** Answers a client's sync step 1 once every write queued before it is stored. */
	answerSyncStep1(conn: RoomConnection, stateVector: Uint8Array): void {
		if (!this.accepting) return;
		void this.enqueue(() => {
			if (!this.connections.has(conn)) return;
			// A fresh client gets everything: the stored bytes say it, while nothing was written since load.
			const update =
				this.loadedState && isEmptyStateVector(stateVector)
					? this.loadedState
					: Y.encodeStateAsUpdate(this.doc, stateVector);
			conn.send(encodeSyncStep2(update));
			// A read-only client's reply to our step 1 would be dropped anyway: don't ask for it.
			if (!conn.ctx.readOnly) conn.send(encodeSyncStep1(this.doc));
		});
	}

	/** Applies a validated awareness update; presence echoes it to everyone. */
	applyAwareness(conn: RoomConnection, update: Uint8Array): void {
		if (this.accepting && !this.destroyed) this.presence.apply(conn, update);
	}

	sendAwarenessStates(conn: RoomConnection): void {
		const message = this.destroyed ? null : this.presence.statesMessage();
		if (message) conn.send(message);
	}

	/**
	 * A server-authored change: `fn` runs in one transaction, and the update it
	 * makes is stored, applied and broadcast like a client's. Rejects, changing
	 * nothing, if `fn` throws or the store fails.
	 */
	change(fn: (doc: Y.Doc) => void): Promise<void> {
		return this.enqueue(async () => {
			const update = this.loadedShadow().produce(fn);
			if (update) await this.commit([{ update, author: null }]);
		});
	}

	/** Reads the document after every queued write. `fn` must not modify it (if it does, that is undone and logged). */
	read<T>(fn: (doc: Y.Doc) => T): Promise<T> {
		return this.enqueue(() => {
			// On the shadow (equal to `doc` here), so a buggy reader cannot change what clients are sent.
			const { value, modified } = this.loadedShadow().read(fn);
			if (modified) log.error('yjs.read_modified_document', { incidentId: this.incidentId });
			return value;
		});
	}

	private loadedShadow(): ShadowDoc {
		if (this.destroyed || !this.isLoaded) throw new Error(`room ${this.incidentId} is not loaded`);
		return (this.shadow ??= new ShadowDoc(this.doc));
	}

	private async commit(writes: PendingWrite[]): Promise<void> {
		const shadow = this.loadedShadow();
		const rejected = new Set<RoomConnection>();
		const accepted = writes.filter(
			(w) => w.author === null || this.tryOnShadow(shadow, w.author, w.update, rejected)
		);
		if (accepted.length === 0) return;
		let seq: number;
		try {
			const updates = accepted.map((w) => w.update);
			seq = await this.options.store.appendUpdates(this.incidentId, updates);
		} catch (err) {
			shadow.discard();
			const writers = new Set(accepted.flatMap((w) => (w.author ? [w.author] : [])));
			log.error('yjs.persist_failed', {
				incidentId: this.incidentId,
				updates: accepted.length,
				userIds: [...writers].map((c) => c.ctx.userId),
				err
			});
			// Nothing was acknowledged or broadcast; a reconnecting provider resends all it has.
			for (const writer of writers) writer.close(1011, 'storage write failed; reconnect to resend');
			throw err;
		}
		this.loadedState = null; // the document moves on from what was loaded
		let postmortemChanged = false;
		const postmortemAuthorIds = new Set<string>();
		try {
			for (const w of accepted) {
				this.postmortemTouched = false;
				Y.applyUpdate(this.doc, w.update, w.author ?? SERVER_ORIGIN);
				if (!this.postmortemTouched) continue;
				postmortemChanged = true;
				if (w.author) postmortemAuthorIds.add(w.author.ctx.userId);
			}
			shadow.committed();
		} catch (err) {
			// Unreachable while the shadow mirrors `doc` (it took the same updates); say so loudly if not.
			log.error('yjs.live_apply_failed', { incidentId: this.incidentId, err });
			shadow.discard();
		}
		const authors = new Set(accepted.map((w) => w.author));
		const update =
			accepted.length === 1 ? accepted[0].update : Y.mergeUpdates(accepted.map((w) => w.update));
		// A lone author already has its update; with several, each gets its own back, which is harmless.
		const [onlyAuthor] = authors;
		this.broadcast(encodeUpdateMessage(update), authors.size === 1 ? onlyAuthor : null);
		this.compaction.appended(seq, accepted.length);
		try {
			this.options.onCommitted?.(this, {
				update,
				postmortemChanged,
				postmortemAuthorIds: [...postmortemAuthorIds]
			});
		} catch (err) {
			log.error('yjs.commit_listener_failed', { incidentId: this.incidentId, err });
		}
	}

	/** Tries a client write on the shadow; one that will not integrate disconnects its author. */
	private tryOnShadow(
		shadow: ShadowDoc,
		author: RoomConnection,
		update: Uint8Array,
		rejected: Set<RoomConnection>
	): boolean {
		// Later writes of a rejected author likely build on the rejected one: drop them too.
		if (rejected.has(author)) return false;
		if (shadow.tryApply(update)) return true;
		rejected.add(author);
		const reason = 'update does not apply to the document';
		log.warn('yjs.bad_frame', { incidentId: this.incidentId, userId: author.ctx.userId, reason });
		author.close(1007, reason);
		return false;
	}

	private broadcast(message: Uint8Array, except: RoomConnection | null): void {
		for (const conn of this.connections) if (conn !== except) conn.send(message);
	}

	private noteCompletion(item: ChecklistItem, by: RoomConnection): void {
		const { incidentId } = this;
		log.info('yjs.checklist_done', { incidentId, userId: by.ctx.userId, itemId: item.id });
		this.change((doc) => recordCompletion(doc, item)).catch((err) =>
			log.error('yjs.system_entry_failed', { incidentId, err })
		);
	}

	private enqueue<T>(task: () => T | Promise<T>): Promise<T> {
		const run = this.chain.then(task);
		this.chain = run.catch(() => {});
		return run;
	}

	/** Waits until every queued write is stored and sent, including work that work queued (system entries). */
	async flush(): Promise<void> {
		let seen: Promise<unknown>;
		do {
			seen = this.chain;
			await seen;
		} while (seen !== this.chain);
	}

	/** Stops taking frames from clients; writes already queued still complete. */
	stopAccepting(): void {
		this.accepting = false;
	}

	closeConnections(code: number, reason: string): void {
		for (const conn of [...this.connections]) conn.close(code, reason);
	}

	/** Stores everything queued, compacts, and frees the room. */
	async unload(): Promise<void> {
		this.accepting = false;
		const loadedOk = await this.loaded.then(
			() => true,
			() => false
		);
		if (loadedOk) {
			await this.flush();
			await this.compaction.finish();
		}
		this.destroy(1001, 'room closed');
		log.info('yjs.room_unloaded', { incidentId: this.incidentId, lastSeq: this.compaction.seq });
	}

	private destroy(code: number, reason: string): void {
		if (this.destroyed) return;
		this.destroyed = true;
		this.accepting = false;
		this.closeConnections(code, reason);
		this.connections.clear();
		this.stopWatching();
		this.presence.destroy();
		this.doc.destroy();
		this.shadow?.destroy();
		this.loadedState = null;
	}
}
