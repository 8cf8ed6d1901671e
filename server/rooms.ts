/**
 * The room registry: the one owner of live incident rooms in this process.
 * Loads a room on first use (concurrent joins share the load), unloads it
 * after a grace period with nobody in it, and is what the HTTP upgrade
 * handler and the SvelteKit hub talk to.
 */
import type { Kysely } from 'kysely';
import type { WebSocket } from 'ws';
import type * as Y from 'yjs';
import type { Database } from '../src/lib/server/db/schema';
import { log } from '../src/lib/server/log';
import { BackgroundQueue } from './background-queue';
import type { Folder } from './folder';
import type { LogWriter } from './log-writer';
import { Room, type CommitInfo, type ConnectionContext } from './room';
import { RoomStore } from './room-store';
import { YjsConnection } from './yjs-connection';

export interface RoomRegistryOptions {
	db: Kysely<Database>;
	/** How long a room with nobody in it stays loaded (a reconnect within it costs no reload). */
	unloadAfterMs?: number;
	/** Compact an incident's update log after this many appended updates. */
	compactAfterUpdates?: number;
	/** Where stored documents are folded on load and compaction (default: in this thread). */
	folder?: Folder;
	/** What writes the stored documents (default: transactions on `db`). */
	writer?: LogWriter;
}

const GOING_AWAY = 1001;

export class RoomRegistry {
	private readonly store: RoomStore;
	private readonly background = new BackgroundQueue();
	private readonly unloadAfterMs: number;
	private readonly compactAfterUpdates: number;
	private readonly rooms = new Map<string, Room>();
	/** Rooms being unloaded: the next instance loads only once the old one has stored everything. */
	private readonly unloading = new Map<string, Promise<void>>();
	private readonly unloadTimers = new Map<string, NodeJS.Timeout>();
	private closing: Promise<void> | null = null;
	private readonly commitListeners = new Set<(incidentId: string, commit: CommitInfo) => void>();

	constructor({
		db,
		unloadAfterMs = 30_000,
		compactAfterUpdates = 200,
		folder,
		writer
	}: RoomRegistryOptions) {
		this.store = new RoomStore(db, { folder, writer });
		this.unloadAfterMs = unloadAfterMs;
		this.compactAfterUpdates = compactAfterUpdates;
	}

	/** Attaches an accepted, already authenticated socket to its incident's room. */
	connect(ws: WebSocket, ctx: ConnectionContext): void {
		if (this.closing) {
			ws.close(GOING_AWAY, 'server shutting down');
			return;
		}
		if (ws.readyState !== ws.OPEN) return; // gone before we got it: no close event will come
		new YjsConnection(ws, ctx, this.acquire(ctx.incidentId));
	}

	/** Applies a server-authored change; resolves once it is stored and sent to every client. */
	async change(incidentId: string, fn: (doc: Y.Doc) => void): Promise<void> {
		return this.using(incidentId, (room) => room.change(fn));
	}

	/**
	 * Hears every change stored in any room (after it is broadcast): for work
	 * that follows edits, like postmortem snapshots or live summaries. Returns
	 * the unsubscribe function. Listeners must be quick and must not throw.
	 */
	onCommitted(listener: (incidentId: string, commit: CommitInfo) => void): () => void {
		this.commitListeners.add(listener);
		return () => this.commitListeners.delete(listener);
	}

	/** Reads the incident's document (loading it if needed); `fn` must not modify it. */
	async read<T>(incidentId: string, fn: (doc: Y.Doc) => T): Promise<T> {
		return this.using(incidentId, (room) => room.read(fn));
	}

	stats(): { rooms: number; connections: number } {
		let connections = 0;
		for (const room of this.rooms.values()) connections += room.connectionCount;
		return { rooms: this.rooms.size, connections };
	}

	/** Stores every queued write, compacts, and closes every connection with 1001. Idempotent. */
	close(): Promise<void> {
		this.closing ??= this.closeAll();
		return this.closing;
	}

	private async closeAll(): Promise<void> {
		for (const timer of this.unloadTimers.values()) clearTimeout(timer);
		this.unloadTimers.clear();
		const rooms = [...this.rooms.values()];
		this.rooms.clear();
		await Promise.all(
			rooms.map(async (room) => {
				room.stopAccepting();
				await room.loaded.catch(() => {});
				// Queued writes are stored (and broadcast) before the sockets close.
				await room.flush();
				room.closeConnections(GOING_AWAY, 'server shutting down');
				await room.unload().catch((err) => {
					log.error('yjs.room_unload_failed', { incidentId: room.incidentId, err });
				});
			})
		);
		await Promise.all(this.unloading.values());
		log.info('yjs.rooms_closed', { rooms: rooms.length });
	}

	private async using<T>(incidentId: string, fn: (room: Room) => Promise<T>): Promise<T> {
		if (this.closing) throw new Error('room registry is closed');
		const room = this.acquire(incidentId);
		room.retain();
		try {
			await room.loaded;
			return await fn(room);
		} finally {
			room.release();
		}
	}

	/** The loaded (or loading) room for an incident, created on first use; any use cancels a pending unload. */
	private acquire(incidentId: string): Room {
		this.cancelUnload(incidentId);
		const existing = this.rooms.get(incidentId);
		if (existing) return existing;
		const room = new Room(incidentId, {
			store: this.store,
			compactAfterUpdates: this.compactAfterUpdates,
			background: this.background,
			onIdle: (idle) => this.scheduleUnload(idle),
			after: this.unloading.get(incidentId),
			onCommitted: (_room, commit) => {
				for (const listener of this.commitListeners) listener(incidentId, commit);
			}
		});
		this.rooms.set(incidentId, room);
		room.loaded.catch(() => {
			// The next join retries the load from scratch.
			if (this.rooms.get(incidentId) === room) this.rooms.delete(incidentId);
		});
		return room;
	}

	private scheduleUnload(room: Room): void {
		const { incidentId } = room;
		if (this.closing || this.rooms.get(incidentId) !== room) return;
		this.cancelUnload(incidentId);
		const timer = setTimeout(() => {
			this.unloadTimers.delete(incidentId);
			if (this.rooms.get(incidentId) !== room || !room.idle) return;
			this.rooms.delete(incidentId);
			const done = room
				.unload()
				.catch((err) => log.error('yjs.room_unload_failed', { incidentId, err }))
				.finally(() => {
					if (this.unloading.get(incidentId) === done) this.unloading.delete(incidentId);
				});
			this.unloading.set(incidentId, done);
		}, this.unloadAfterMs);
		// A pending unload must not keep the process alive: everything in the room is stored already.
		timer.unref();
		this.unloadTimers.set(incidentId, timer);
	}

	private cancelUnload(incidentId: string): void {
		const timer = this.unloadTimers.get(incidentId);
		if (timer) clearTimeout(timer);
		this.unloadTimers.delete(incidentId);
	}
}
