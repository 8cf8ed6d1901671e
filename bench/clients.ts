/** Stock y-websocket clients in Node, as a bot would run them: `ws` underneath, a cookie for Warroom. */
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { newIncidentDoc } from '../src/lib/doc/incident-doc';

export interface BenchClient {
	doc: Y.Doc;
	provider: WebsocketProvider;
	destroy(): void;
}

export function connectClient(serverUrl: string, room: string, cookie?: string): BenchClient {
	const doc = newIncidentDoc();
	class CookieWebSocket extends WebSocket {
		constructor(url: string, protocols?: string | string[]) {
			super(url, protocols, cookie ? { headers: { cookie } } : {});
		}
	}
	const provider = new WebsocketProvider(serverUrl, room, doc, {
		WebSocketPolyfill: CookieWebSocket as unknown as typeof globalThis.WebSocket,
		disableBc: true
	});
	return {
		doc,
		provider,
		destroy() {
			provider.destroy();
			doc.destroy();
		}
	};
}

export function whenSynced(c: BenchClient, timeoutMs = 60_000): Promise<void> {
	if (c.provider.synced) return Promise.resolve();
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error('client did not sync')), timeoutMs);
		c.provider.once('sync', () => {
			clearTimeout(timer);
			resolve();
		});
	});
}

/** Connects in small waves so the connect storm itself is not what gets measured. */
export async function connectMany(
	serverUrl: string,
	rooms: string[],
	perRoom: number,
	cookie?: string
): Promise<BenchClient[][]> {
	const byRoom: BenchClient[][] = rooms.map(() => []);
	for (let i = 0; i < perRoom; i++) {
		const wave = rooms.map((room, r) => {
			const c = connectClient(serverUrl, room, cookie);
			byRoom[r].push(c);
			return whenSynced(c);
		});
		await Promise.all(wave);
	}
	return byRoom;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until(cond: () => boolean, timeoutMs: number, stepMs = 20): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	while (!cond()) {
		if (Date.now() > deadline) return false;
		await sleep(stepMs);
	}
	return true;
}
