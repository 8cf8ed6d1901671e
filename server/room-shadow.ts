/**
 * A second copy of a room's document where every write is tried before it is
 * stored. Between writes it equals the live document; an update that decodes
 * but fails to integrate, or a server change that throws halfway, only ever
 * damages this copy, which is then rebuilt from the live one.
 */
import * as Y from 'yjs';
import { newIncidentDoc } from '../src/lib/doc/incident-doc';

/** Origin of transactions the server itself makes. */
export const SERVER_ORIGIN = Symbol('warroom.server-change');

export class ShadowDoc {
	private doc: Y.Doc;
	/** Updates applied here but not yet to the live document, replayed after a rebuild. */
	private ahead: Uint8Array[] = [];
	/** Server changes are made with this client id, kept across rebuilds. */
	private readonly clientID: number;

	constructor(private readonly live: Y.Doc) {
		this.doc = newIncidentDoc();
		this.clientID = this.doc.clientID;
		this.rebuild();
	}

	/**
	 * Applies a client update; false (and the shadow is as before) if it does
	 * not integrate completely. An update that leaves structs or deletions
	 * waiting for something the server never saw is refused too: a real client
	 * only builds on what it got from us, and fuzzing showed that such
	 * dangling updates, once stored, can make the stored log fail to merge.
	 */
	tryApply(update: Uint8Array): boolean {
		try {
			Y.applyUpdate(this.doc, update);
			const { pendingStructs, pendingDs } = this.doc.store;
			if (pendingStructs !== null || pendingDs !== null) throw new Error('missing dependencies');
			this.ahead.push(update);
			return true;
		} catch {
			this.rebuild(); // it may be half-applied, or waiting on what will never come
			return false;
		}
	}

	/**
	 * Runs `fn` in one transaction and returns the update it made (null if
	 * none). If `fn` throws, the shadow is rebuilt and the error rethrown.
	 */
	produce(fn: (doc: Y.Doc) => void): Uint8Array | null {
		const doc = this.doc;
		const updates: Uint8Array[] = [];
		const collect = (update: Uint8Array) => updates.push(update);
		doc.on('update', collect);
		try {
			doc.transact(() => fn(doc), SERVER_ORIGIN);
		} catch (err) {
			this.rebuild();
			throw err;
		} finally {
			doc.off('update', collect);
		}
		if (updates.length === 0) return null;
		const update = updates.length === 1 ? updates[0] : Y.mergeUpdates(updates);
		this.ahead.push(update);
		return update;
	}

	/** Lets `fn` read the document; if it modifies it anyway, the change is undone and reported. */
	read<T>(fn: (doc: Y.Doc) => T): { value: T; modified: boolean } {
		const doc = this.doc;
		let modified = false;
		const onUpdate = () => (modified = true);
		doc.on('update', onUpdate);
		try {
			return { value: fn(doc), modified };
		} finally {
			doc.off('update', onUpdate);
			if (modified) this.discard();
		}
	}

	/** The live document has caught up with everything tried here. */
	committed(): void {
		this.ahead = [];
	}

	/** What was tried here will not reach the live document (the store failed): forget it. */
	discard(): void {
		this.ahead = [];
		this.rebuild();
	}

	destroy(): void {
		this.doc.destroy();
	}

	private rebuild(): void {
		this.doc.destroy();
		this.doc = newIncidentDoc();
		Y.applyUpdate(this.doc, Y.encodeStateAsUpdate(this.live));
		// Set after applying: Yjs renames a doc that receives updates under its own id from outside.
		this.doc.clientID = this.clientID;
		for (const update of this.ahead) Y.applyUpdate(this.doc, update);
	}
}
