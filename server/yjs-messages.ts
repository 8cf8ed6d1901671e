/**
 * The y-websocket wire format, decoded by hand and strictly: one protocol
 * message per frame, every length checked, no trailing bytes. Pure functions,
 * so the rules for bad input can be tested without a socket.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_QUERY_AWARENESS = 3;

export const SYNC_STEP1 = 0;
export const SYNC_STEP2 = 1;
export const SYNC_UPDATE = 2;

export type ClientMessage =
	| { type: 'sync-step1'; stateVector: Uint8Array }
	| { type: 'sync-step2'; update: Uint8Array }
	| { type: 'update'; update: Uint8Array }
	| { type: 'awareness'; update: Uint8Array }
	| { type: 'query-awareness' };

/** `unsupported`: a well-formed message we do not speak (close 1003); otherwise malformed (1007). */
export type ParsedFrame =
	{ ok: true; message: ClientMessage } | { ok: false; reason: string; unsupported: boolean };

class BadFrame extends Error {
	constructor(
		message: string,
		readonly unsupported = false
	) {
		super(message);
	}
}

/** Reads a length-prefixed byte string, refusing a length that runs past the frame. */
function readBytes(decoder: decoding.Decoder): Uint8Array {
	const length = decoding.readVarUint(decoder);
	if (length > decoder.arr.length - decoder.pos)
		throw new BadFrame('length runs past end of frame');
	return decoding.readUint8Array(decoder, length);
}

function parse(decoder: decoding.Decoder): ClientMessage {
	const messageType = decoding.readVarUint(decoder);
	switch (messageType) {
		case MESSAGE_SYNC: {
			const syncType = decoding.readVarUint(decoder);
			const payload = readBytes(decoder);
			if (syncType === SYNC_STEP1) return { type: 'sync-step1', stateVector: payload };
			if (syncType === SYNC_STEP2) return { type: 'sync-step2', update: payload };
			if (syncType === SYNC_UPDATE) return { type: 'update', update: payload };
			throw new BadFrame(`unknown sync message type ${syncType}`, true);
		}
		case MESSAGE_AWARENESS:
			return { type: 'awareness', update: readBytes(decoder) };
		case MESSAGE_QUERY_AWARENESS:
			return { type: 'query-awareness' };
		default:
			throw new BadFrame(`unknown message type ${messageType}`, true);
	}
}

/**
 * Splits a frame into its protocol message. The payloads are views into
 * `frame`; callers keep them (the room stores and broadcasts updates), so
 * `frame` must not be reused afterwards.
 */
export function parseFrame(frame: Uint8Array): ParsedFrame {
	const decoder = decoding.createDecoder(frame);
	try {
		const message = parse(decoder);
		if (decoding.hasContent(decoder)) {
			return { ok: false, reason: 'trailing bytes after message', unsupported: false };
		}
		return { ok: true, message };
	} catch (err) {
		if (err instanceof BadFrame)
			return { ok: false, reason: err.message, unsupported: err.unsupported };
		return { ok: false, reason: 'truncated or malformed message', unsupported: false };
	}
}

/** What Y.decodeUpdate finds in an update: its structs and its delete set. */
export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;

export type InspectedUpdate =
	{ kind: 'malformed' } | { kind: 'empty' } | { kind: 'content'; decoded: DecodedUpdate };

/**
 * Whether an update decodes completely, and whether it carries anything (a
 * client's step 2 is empty when it has nothing we lack). Decoding catches
 * truncated and garbled updates up front; the room also tries each update on
 * a shadow copy of the document before storing it, which catches the rest.
 */
export function inspectUpdate(update: Uint8Array): InspectedUpdate {
	try {
		const decoded = Y.decodeUpdate(update);
		return decoded.structs.length === 0 && decoded.ds.clients.size === 0
			? { kind: 'empty' }
			: { kind: 'content', decoded };
	} catch {
		return { kind: 'malformed' };
	}
}

/**
 * Whether a document already holds everything an update carries: every
 * struct, and every deletion already applied. A client joining an incident
 * with deletions in its history answers our step 1 with the whole delete set,
 * and a reconnecting client resends updates we stored before the drop; both
 * change nothing, so they need no shadow copy, no log row and no broadcast.
 * CRDT state only grows, so "already held" stays true as more writes land.
 */
export function isAlreadyApplied(doc: Y.Doc, decoded: DecodedUpdate): boolean {
	try {
		return holdsAll(doc.store, decoded);
	} catch {
		return false; // odd ranges (a crafted update): let the shadow copy judge it
	}
}

function holdsAll(store: Y.Doc['store'], { structs, ds }: DecodedUpdate): boolean {
	for (const struct of structs) {
		if (struct.id.clock + struct.length > Y.getState(store, struct.id.client)) return false;
	}
	for (const [client, ranges] of ds.clients) {
		const known = store.clients.get(client);
		if (!known) return false;
		const state = Y.getState(store, client);
		for (const { clock, len } of ranges) {
			if (clock + len > state) return false;
			for (let i = Y.findIndexSS(known, clock); i < known.length; i++) {
				const struct = known[i];
				if (struct.id.clock >= clock + len) break;
				if (!struct.deleted) return false;
			}
		}
	}
	return true;
}

/** A state vector with no entries: the sender holds nothing yet (a fresh client). */
export function isEmptyStateVector(stateVector: Uint8Array): boolean {
	try {
		return decoding.readVarUint(decoding.createDecoder(stateVector)) === 0;
	} catch {
		return false;
	}
}

export function isValidStateVector(stateVector: Uint8Array): boolean {
	try {
		const decoder = decoding.createDecoder(stateVector);
		const entries = decoding.readVarUint(decoder);
		for (let i = 0; i < entries; i++) {
			decoding.readVarUint(decoder);
			decoding.readVarUint(decoder);
		}
		return !decoding.hasContent(decoder);
	} catch {
		return false;
	}
}

/**
 * Whether an awareness update decodes completely (ids, clocks, JSON states).
 * y-protocols applies entries as it reads them, so a bad entry halfway would
 * leave the earlier ones applied: check the whole thing first.
 */
export function isValidAwarenessUpdate(update: Uint8Array): boolean {
	try {
		const decoder = decoding.createDecoder(update);
		const entries = decoding.readVarUint(decoder);
		for (let i = 0; i < entries; i++) {
			decoding.readVarUint(decoder);
			decoding.readVarUint(decoder);
			JSON.parse(decoding.readVarString(decoder));
		}
		return !decoding.hasContent(decoder);
	} catch {
		return false;
	}
}

function message(write: (encoder: encoding.Encoder) => void): Uint8Array {
	const encoder = encoding.createEncoder();
	write(encoder);
	return encoding.toUint8Array(encoder);
}

export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
	return message((e) => {
		encoding.writeVarUint(e, MESSAGE_SYNC);
		encoding.writeVarUint(e, SYNC_STEP1);
		encoding.writeVarUint8Array(e, Y.encodeStateVector(doc));
	});
}

export function encodeSyncStep2(update: Uint8Array): Uint8Array {
	return message((e) => {
		encoding.writeVarUint(e, MESSAGE_SYNC);
		encoding.writeVarUint(e, SYNC_STEP2);
		encoding.writeVarUint8Array(e, update);
	});
}

export function encodeUpdateMessage(update: Uint8Array): Uint8Array {
	return message((e) => {
		encoding.writeVarUint(e, MESSAGE_SYNC);
		encoding.writeVarUint(e, SYNC_UPDATE);
		encoding.writeVarUint8Array(e, update);
	});
}

export function encodeAwarenessMessage(awarenessUpdate: Uint8Array): Uint8Array {
	return message((e) => {
		encoding.writeVarUint(e, MESSAGE_AWARENESS);
		encoding.writeVarUint8Array(e, awarenessUpdate);
	});
}
