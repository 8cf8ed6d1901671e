/** Helpers for the postmortem tests: a signed-in stock client that resolves on sync, a seeded PRNG. */
import * as Y from 'yjs';
import { stockClient, type StockClient } from './yjs-client';

export interface YjsClient extends StockClient {
	synced: Promise<void>;
}

export function yjsClient(
	port: number,
	incidentId: string,
	cookie: string,
	user?: { id: string; name: string }
): YjsClient {
	const client = stockClient(port, incidentId, cookie);
	const { provider } = client;
	if (user) provider.awareness.setLocalState({ user: { ...user, color: '#2563eb' } });
	const synced = provider.synced
		? Promise.resolve()
		: new Promise<void>((resolve) => provider.once('sync', () => resolve()));
	return Object.assign(client, { synced });
}

/** A small seeded PRNG (mulberry32), so a failing random run can be replayed. */
export function seededRandom(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Same state vector: both copies have seen exactly the same updates. */
export function sameState(a: Y.Doc, b: Y.Doc): boolean {
	return Buffer.from(Y.encodeStateVector(a)).equals(Buffer.from(Y.encodeStateVector(b)));
}
