/** Size limits at the edges, documented in README ("Limits"). */

/** Largest Yjs WebSocket frame accepted; a larger one closes the connection with 1009. */
export const MAX_YJS_FRAME_BYTES = 2 * 1024 * 1024;

/** Largest Socket.IO message accepted (commands are small). */
export const MAX_SOCKET_MESSAGE_BYTES = 64 * 1024;
