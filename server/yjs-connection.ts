/**
 * The y-websocket protocol on one socket: decodes each frame strictly, answers
 * bad input by closing this socket alone, drops a read-only client's writes,
 * and hands everything else to the room.
 *
 * A read-only client's awareness is applied: viewers appear in presence (the
 * commander wants to know who is watching), and awareness is never stored, so
 * it cannot change the document.
 */
import type { RawData, WebSocket } from 'ws';
import { log } from '../src/lib/server/log';
import {
	MAX_BUFFERED_BYTES,
	MAX_FRAMES_BEFORE_LOAD,
	MAX_YJS_FRAME_BYTES,
	PING_INTERVAL_MS
} from './limits';
import type { ConnectionContext, Room, RoomConnection } from './room';
import {
	inspectUpdate,
	isValidAwarenessUpdate,
	isValidStateVector,
	parseFrame
} from './yjs-messages';

/** Close codes, RFC 6455 §7.4.1. */
const UNSUPPORTED_DATA = 1003;
const INVALID_PAYLOAD = 1007;
const INTERNAL_ERROR = 1011;
const TRY_AGAIN_LATER = 1013;

/** Log the first dropped read-only write, then every this many, so a stuck viewer cannot flood the log. */
const DROPPED_WRITE_LOG_EVERY = 100;

export class YjsConnection implements RoomConnection {
	/** Frames that arrived before the room finished loading; null once they have been handled. */
	private pending: Uint8Array[] | null = [];
	private closed = false;
	private alive = true;
	private droppedWrites = 0;
	private readonly pinger: NodeJS.Timeout;

	constructor(
		private readonly ws: WebSocket,
		readonly ctx: ConnectionContext,
		private readonly room: Room
	) {
		// Listeners go on before anything can await: ws drops messages nobody listens for.
		ws.on('message', this.onMessage);
		ws.on('close', this.onClose);
		ws.on('error', this.onError);
		ws.on('pong', () => (this.alive = true));
		this.pinger = setInterval(this.ping, PING_INTERVAL_MS);
		this.pinger.unref();
		room.addConnection(this);
		log.info('yjs.connected', this.fields({ readOnly: ctx.readOnly }));
		room.loaded.then(
			() => this.drain(),
			() => this.close(INTERNAL_ERROR, 'could not load incident')
		);
	}

	send(message: Uint8Array): void {
		if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
		if (this.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
			log.warn('yjs.slow_client', this.fields({ bufferedBytes: this.ws.bufferedAmount }));
			this.close(TRY_AGAIN_LATER, 'too far behind; reconnect');
			return;
		}
		this.ws.send(message);
	}

	close(code: number, reason: string): void {
		if (this.closed) return;
		this.closed = true;
		this.pending = null;
		clearInterval(this.pinger);
		// Leave the room now, not when the closing handshake ends: presence and unload should not wait.
		this.room.removeConnection(this);
		this.ws.close(code, reason.slice(0, 120));
	}

	private drain(): void {
		const frames = this.pending ?? [];
		this.pending = null;
		if (this.closed) return;
		this.room.sendAwarenessStates(this);
		for (const frame of frames) {
			if (this.closed) return;
			this.handle(frame);
		}
	}

	private readonly onMessage = (data: RawData, isBinary: boolean): void => {
		if (this.closed) return;
		this.alive = true;
		if (!isBinary) return this.reject(UNSUPPORTED_DATA, 'text frames are not supported');
		const frame = toBytes(data);
		if (this.pending) {
			if (this.pending.length >= MAX_FRAMES_BEFORE_LOAD) {
				return this.reject(TRY_AGAIN_LATER, 'too many messages while the incident loads');
			}
			this.pending.push(frame);
			return;
		}
		this.handle(frame);
	};

	private handle(frame: Uint8Array): void {
		const parsed = parseFrame(frame);
		if (!parsed.ok) {
			return this.reject(parsed.unsupported ? UNSUPPORTED_DATA : INVALID_PAYLOAD, parsed.reason);
		}
		const message = parsed.message;
		switch (message.type) {
			case 'sync-step1':
				if (!isValidStateVector(message.stateVector)) {
					return this.reject(INVALID_PAYLOAD, 'malformed state vector');
				}
				return this.room.answerSyncStep1(this, message.stateVector);
			case 'sync-step2':
			case 'update':
				return this.receiveWrite(message.update);
			case 'awareness':
				if (!isValidAwarenessUpdate(message.update)) {
					return this.reject(INVALID_PAYLOAD, 'malformed awareness update');
				}
				return this.room.applyAwareness(this, message.update);
			case 'query-awareness':
				return this.room.sendAwarenessStates(this);
		}
	}

	private receiveWrite(update: Uint8Array): void {
		if (this.ctx.readOnly) {
			// Never decoded, applied, stored or relayed: a viewer's write does not exist for us.
			this.droppedWrites++;
			if (this.droppedWrites === 1 || this.droppedWrites % DROPPED_WRITE_LOG_EVERY === 0) {
				log.warn(
					'yjs.readonly_write_dropped',
					this.fields({ bytes: update.byteLength, dropped: this.droppedWrites })
				);
			}
			return;
		}
		const inspected = inspectUpdate(update);
		if (inspected.kind === 'malformed') return this.reject(INVALID_PAYLOAD, 'malformed update');
		if (inspected.kind === 'empty' || this.room.holds(inspected.decoded)) return;
		this.room.receiveUpdate(this, update);
	}

	private reject(code: number, reason: string): void {
		log.warn('yjs.bad_frame', this.fields({ reason, code }));
		this.close(code, reason);
	}

	private readonly onClose = (code: number, reason: Buffer): void => {
		const wasOpen = !this.closed;
		this.closed = true;
		this.pending = null;
		clearInterval(this.pinger);
		this.room.removeConnection(this);
		log.info(
			'yjs.disconnected',
			this.fields({ code, reason: reason.toString(), byClient: wasOpen })
		);
	};

	/** ws reports protocol violations here and closes the socket itself (1009 for an oversized frame). */
	private readonly onError = (err: Error & { code?: string }): void => {
		if (err.code?.startsWith('WS_ERR_')) {
			const reason =
				err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH'
					? `frame larger than ${MAX_YJS_FRAME_BYTES} bytes`
					: err.message;
			log.warn('yjs.bad_frame', this.fields({ reason, wsCode: err.code }));
		} else {
			log.info('yjs.socket_error', this.fields({ err }));
		}
	};

	private readonly ping = (): void => {
		if (this.closed) return;
		if (!this.alive) {
			log.info('yjs.ping_timeout', this.fields());
			this.ws.terminate();
			return;
		}
		this.alive = false;
		this.ws.ping();
	};

	private fields(extra: Record<string, unknown> = {}): Record<string, unknown> {
		return { incidentId: this.ctx.incidentId, userId: this.ctx.userId, ...extra };
	}
}

/** ws hands binary frames over as a Buffer (or fragments/ArrayBuffer with other binaryType settings). */
function toBytes(data: RawData): Uint8Array {
	if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
	if (data instanceof ArrayBuffer) return new Uint8Array(data);
	return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
