/**
 * Spots checklist items that a client's update marks done, so the room can
 * record the completion in the timeline.
 */
import * as Y from 'yjs';
import {
	appendEntry,
	checklistOf,
	readChecklistItem,
	SYSTEM_AUTHOR,
	type ChecklistItem
} from '../src/lib/doc/incident-doc';

/**
 * Calls `onDone` for every checklist item whose `done` goes from not-true to
 * true in a transaction whose origin `isClientOrigin` accepts. Items created
 * already done are not completions (Yjs reports no key change for a map
 * created in the same transaction). Returns the function that stops watching.
 */
export function watchChecklistCompletions(
	doc: Y.Doc,
	isClientOrigin: (origin: unknown) => boolean,
	onDone: (item: ChecklistItem, origin: unknown) => void
): () => void {
	const checklist = checklistOf(doc);
	const observer = (events: Y.YEvent<Y.AbstractType<unknown>>[], transaction: Y.Transaction) => {
		if (!isClientOrigin(transaction.origin)) return;
		for (const event of events) {
			const map = event.target;
			if (!(map instanceof Y.Map) || map.parent !== checklist) continue;
			const change = event.changes.keys.get('done');
			if (!change || change.action === 'delete' || change.oldValue === true) continue;
			if (map.get('done') !== true) continue;
			const item = readChecklistItem(map as Y.Map<unknown>);
			if (item) onDone(item, transaction.origin);
		}
	};
	checklist.observeDeep(observer);
	return () => checklist.unobserveDeep(observer);
}

/** The system timeline entry for a completed checklist item. */
export function recordCompletion(doc: Y.Doc, item: ChecklistItem, now = Date.now()): void {
	appendEntry(doc, {
		ts: now,
		kind: 'checklist',
		text: `Checklist: "${item.text}" done`,
		author: SYSTEM_AUTHOR
	});
}
