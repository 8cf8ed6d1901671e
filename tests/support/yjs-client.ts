/** The stock y-websocket provider in Node, signed in with a session cookie, as a bot connects. */
import WebSocket from 'ws';
import type * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import {
	newIncidentDoc,
	postmortemOf,
	readChecklist,
	readTimeline
} from '../../src/lib/doc/incident-doc';
import { waitFor } from './wait';

export interface StockClient {
	doc: Y.Doc;
	provider: WebsocketProvider;
	/** Close codes this provider's socket saw (its own destroy excluded). */
	closes: number[];
	/** The reasons that came with them, in the same order. */
	closeReasons: string[];
	destroy(): void;
}

export function stockClient(
	port: number,
	incidentId: string,
	cookie: string,
	{ maxBackoffTime = 300 }: { maxBackoffTime?: number } = {}
): StockClient {
	const doc = newIncidentDoc();
	class CookieWebSocket extends WebSocket {
		constructor(url: string, protocols?: string | string[]) {
			super(url, protocols, { headers: { cookie } });
		}
	}
	const provider = new WebsocketProvider(`ws://127.0.0.1:${port}/yjs`, incidentId, doc, {
		WebSocketPolyfill: CookieWebSocket as unknown as typeof globalThis.WebSocket,
		disableBc: true,
		maxBackoffTime
	});
	const closes: number[] = [];
	const closeReasons: string[] = [];
	let destroyed = false;
	provider.on('connection-close', (event) => {
		if (!event || destroyed) return;
		closes.push(event.code);
		closeReasons.push(event.reason);
	});
	return {
		doc,
		provider,
		closes,
		closeReasons,
		destroy() {
			destroyed = true;
			provider.destroy();
			doc.destroy();
		}
	};
}

export const synced = (c: StockClient, timeoutMs = 20_000) =>
	waitFor(() => c.provider.synced, { what: 'provider sync', timeoutMs });

/** Everything a user sees of the document, for comparing copies. */
export function docView(doc: Y.Doc) {
	return {
		timeline: readTimeline(doc),
		checklist: readChecklist(doc),
		postmortem: postmortemOf(doc).toString()
	};
}

export const sameView = (a: Y.Doc, b: Y.Doc) =>
	JSON.stringify(docView(a)) === JSON.stringify(docView(b));
