/** Size limits at the edges, documented in README ("Limits"). */

/**
 * Largest Yjs WebSocket frame accepted; a larger one closes the connection
 * with 1009. Pass it as `maxPayload` to the WebSocketServer: ws enforces it
 * before we see the bytes. 2 MiB holds a first sync of a long postmortem with
 * its full (gc: false) history many times over.
 */
export const MAX_YJS_FRAME_BYTES = 2 * 1024 * 1024;

/** Largest Socket.IO message accepted (commands are small). */
export const MAX_SOCKET_MESSAGE_BYTES = 64 * 1024;

/** Frames a Yjs connection may send while its room is still loading; a flood beyond this is cut off (1013). */
export const MAX_FRAMES_BEFORE_LOAD = 1_000;

/**
 * Bytes we let pile up unsent on one Yjs socket. A client that cannot keep up
 * is disconnected (1013; it resyncs on reconnect) instead of growing our memory.
 */
export const MAX_BUFFERED_BYTES = 32 * 1024 * 1024;

/** How often we ping each Yjs socket; one missed pong and the socket is dropped. */
export const PING_INTERVAL_MS = 30_000;
