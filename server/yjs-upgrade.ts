/**
 * Routes WebSocket upgrades on `/yjs/<incidentId>`: authenticates before
 * accepting (so no early message is lost to async auth), refuses with an HTTP
 * status and a reason, and hands accepted sockets to the room registry.
 * Other upgrade paths (Socket.IO, Vite's HMR) are left alone.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Kysely } from 'kysely';
import { WebSocketServer } from 'ws';
import type { Database } from '../src/lib/server/db/schema';
import { log } from '../src/lib/server/log';
import { incidentExists } from '../src/lib/server/incidents';
import { authenticateRequest } from './http-auth';
import { MAX_YJS_FRAME_BYTES } from './limits';
import type { RoomRegistry } from './rooms';

export const YJS_PATH_PREFIX = '/yjs/';
const INCIDENT_ID = /^[A-Za-z0-9_-]{1,64}$/;

function refuse(socket: Duplex, status: number, reason: string): void {
	const text =
		{
			400: 'Bad Request',
			401: 'Unauthorized',
			403: 'Forbidden',
			404: 'Not Found',
			503: 'Service Unavailable'
		}[status] ?? 'Error';
	const body = JSON.stringify({ error: reason });
	socket.end(
		`HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
	);
}

export function createYjsUpgradeHandler(db: Kysely<Database>, rooms: RoomRegistry) {
	const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_YJS_FRAME_BYTES });

	async function handle(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://localhost');
		const incidentId = decodeURIComponent(url.pathname.slice(YJS_PATH_PREFIX.length));
		if (!INCIDENT_ID.test(incidentId)) return refuse(socket, 400, 'malformed incident id');
		const auth = await authenticateRequest(db, req);
		if (!auth.ok) {
			log.warn('yjs.refused', { incidentId, status: auth.status, reason: auth.reason });
			return refuse(socket, auth.status, auth.reason);
		}
		if (!(await incidentExists(db, incidentId))) {
			log.warn('yjs.refused', {
				incidentId,
				userId: auth.user.id,
				status: 404,
				reason: 'no such incident'
			});
			return refuse(socket, 404, 'no such incident');
		}
		const readOnly = auth.user.role === 'viewer';
		wss.handleUpgrade(req, socket, head, (ws) => {
			rooms.connect(ws, {
				incidentId,
				userId: auth.user.id,
				userName: auth.user.display_name,
				readOnly
			});
		});
	}

	return {
		/** True when this handler took the upgrade. */
		onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
			if (!req.url?.startsWith(YJS_PATH_PREFIX)) return false;
			socket.on('error', () => socket.destroy());
			handle(req, socket, head).catch((err) => {
				log.error('yjs.upgrade_failed', { err });
				refuse(socket, 503, 'server error');
			});
			return true;
		},
		close(): void {
			wss.close();
		}
	};
}
