/** A Socket.IO client signed in with a session cookie, as the browser connects. */
import { io, type Socket } from 'socket.io-client';

export async function commandSocket(baseUrl: string, cookie: string): Promise<Socket> {
	const socket = io(baseUrl, {
		transports: ['websocket'],
		extraHeaders: { cookie },
		reconnection: false,
		forceNew: true
	});
	await new Promise<void>((resolve, reject) => {
		socket.once('connect', () => resolve());
		socket.once('connect_error', (err) => reject(err));
	});
	return socket;
}

export type Reply = {
	ok: boolean;
	error?: string;
	code?: string;
	incident?: Record<string, unknown>;
};

export function send(socket: Socket, event: string, payload: unknown): Promise<Reply> {
	return socket.timeout(10_000).emitWithAck(event, payload);
}
