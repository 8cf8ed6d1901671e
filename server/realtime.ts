/**
 * Attaches the realtime server to an HTTP server: the Yjs endpoint
 * (`/yjs/<incidentId>`), Socket.IO (`/socket.io`), and the hub through which
 * SvelteKit code reaches live rooms. Production (server/index.ts) and
 * development (the Vite plugin) both call this, so they run one code path.
 */
import type { Server as HttpServer } from 'node:http';
import type { Kysely } from 'kysely';
import { Server as SocketServer } from 'socket.io';
import type { Database } from '../src/lib/server/db/schema';
import { log } from '../src/lib/server/log';
import { startPostmortemAutosave } from '../src/lib/server/postmortem-autosave';
import {
	latestVersionText,
	SYSTEM_CREATOR,
	takeVersion
} from '../src/lib/server/postmortem-versions';
import {
	registerRealtimeHub,
	type DocumentChange,
	type RealtimeHub
} from '../src/lib/server/realtime-hub';
import { broadcastIncident, registerCommandHandlers } from './commands';
import { authenticateRequest } from './http-auth';
import { MAX_SOCKET_MESSAGE_BYTES } from './limits';
import { WorkerFolder } from './folder';
import { RoomRegistry } from './rooms';
import { SqliteLogWriter } from './sqlite-log-writer';
import { createYjsUpgradeHandler } from './yjs-upgrade';

export interface Realtime {
	io: SocketServer;
	rooms: RoomRegistry;
	close(): Promise<void>;
}

export interface RealtimeOptions {
	db: Kysely<Database>;
	/** The SQLite file behind `db` (absent for PostgreSQL): documents are then written by a writer thread. */
	sqliteFile?: string | null;
	/** How long an empty room stays loaded (ms). */
	unloadAfterMs?: number;
}

const KEY = Symbol.for('warroom.realtime');
const slot = globalThis as unknown as Record<symbol, Realtime | undefined>;

export function attachRealtime(httpServer: HttpServer, options: RealtimeOptions): Realtime {
	// One room registry per process: a second one would fork live room state.
	if (slot[KEY]) throw new Error('realtime server already attached in this process');
	const { db } = options;
	const unloadAfterMs = options.unloadAfterMs ?? Number(process.env.ROOM_UNLOAD_AFTER_MS || 30_000);
	// Loads and compactions fold whole documents: on a worker thread, never on the event loop.
	const folder = new WorkerFolder();
	// SQLite commits block their thread while the disk syncs: keep them off the event loop too.
	const writer = options.sqliteFile ? new SqliteLogWriter(options.sqliteFile) : undefined;
	const rooms = new RoomRegistry({ db, unloadAfterMs, folder, writer });
	const yjs = createYjsUpgradeHandler(db, rooms);

	httpServer.on('upgrade', (req, socket, head) => {
		yjs.onUpgrade(req, socket, head);
	});

	const io = new SocketServer(httpServer, {
		path: '/socket.io',
		// Without this, engine.io destroys every other WebSocket upgrade (ours, Vite's HMR) after 1 s.
		destroyUpgrade: false,
		maxHttpBufferSize: MAX_SOCKET_MESSAGE_BYTES,
		serveClient: false
	});

	io.use((socket, next) => {
		authenticateRequest(db, socket.request)
			.then((auth) => {
				if (!auth.ok) {
					log.warn('socket.refused', { status: auth.status, reason: auth.reason });
					return next(new Error(auth.reason));
				}
				socket.data.user = auth.user;
				next();
			})
			.catch((err) => {
				log.error('socket.auth_failed', { err });
				next(new Error('server error'));
			});
	});
	registerCommandHandlers(io, db);

	type Listener = Parameters<RealtimeHub['subscribe']>[0];
	const listeners = new Set<Listener>();
	const notify = (incidentId: string, what: 'document' | 'incident', detail?: DocumentChange) => {
		for (const listener of listeners) {
			try {
				listener(incidentId, what, detail);
			} catch (err) {
				log.error('realtime.listener_failed', { incidentId, err });
			}
		}
	};
	rooms.onCommitted((incidentId, { postmortemChanged, postmortemAuthorIds }) =>
		notify(incidentId, 'document', { postmortemChanged, postmortemAuthorIds })
	);

	const hub: RealtimeHub = {
		changeDocument: (incidentId, change) => rooms.change(incidentId, change),
		readDocument: (incidentId, read) => rooms.read(incidentId, read),
		incidentChanged: (incidentId) => {
			broadcastIncident(io, db, incidentId).catch((err) =>
				log.error('socket.broadcast_failed', { incidentId, err })
			);
			notify(incidentId, 'incident');
		},
		subscribe: (listener) => {
			listeners.add(listener);
			return () => listeners.delete(listener);
		}
	};
	registerRealtimeHub(hub);
	const autosave = startPostmortemAutosave(db, hub, {
		takeAutoVersion: (incidentId) =>
			takeVersion(db, incidentId, { kind: 'auto', label: 'Autosave', createdBy: SYSTEM_CREATOR }),
		latestText: (incidentId) => latestVersionText(db, incidentId)
	});

	const realtime: Realtime = {
		io,
		rooms,
		async close() {
			// Versions any burst still settling, while the hub can still read rooms.
			await autosave.stop();
			registerRealtimeHub(undefined);
			slot[KEY] = undefined;
			yjs.close();
			await new Promise<void>((resolve) => io.close(() => resolve()));
			await rooms.close();
			await folder.close();
			await writer?.close();
		}
	};
	slot[KEY] = realtime;
	return realtime;
}
