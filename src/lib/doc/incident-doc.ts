/**
 * The incident document: one Y.Doc per incident, shared with the stock
 * y-websocket client. The only module that knows the shared type names;
 * they are a public contract (see README, "The incident document").
 */
import * as Y from 'yjs';

export const TIMELINE = 'timeline';
export const CHECKLIST = 'checklist';
export const POSTMORTEM = 'postmortem';

export const ENTRY_KINDS = [
	'note',
	'status',
	'severity',
	'role',
	'checklist',
	'alert',
	'update',
	'action',
	'handover'
] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

/** Author id of entries the server writes. */
export const SYSTEM_AUTHOR = 'system';

export interface TimelineEntry {
	id: string;
	ts: number;
	kind: EntryKind | string;
	text: string;
	author: string;
	pinned?: boolean;
	/** Set when the author edited the text after posting. */
	editedAt?: number;
}

export interface ChecklistItem {
	id: string;
	text: string;
	done: boolean;
	assignee?: string;
	doneBy?: string;
	doneAt?: number;
}

export function newIncidentDoc(): Y.Doc {
	// gc: false keeps deleted content so postmortem snapshots can be rebuilt.
	return new Y.Doc({ gc: false });
}

export const timelineOf = (doc: Y.Doc) => doc.getArray<Y.Map<unknown>>(TIMELINE);
export const checklistOf = (doc: Y.Doc) => doc.getArray<Y.Map<unknown>>(CHECKLIST);
export const postmortemOf = (doc: Y.Doc) => doc.getText(POSTMORTEM);

export function newId(): string {
	const bytes = new Uint8Array(9);
	crypto.getRandomValues(bytes);
	let s = '';
	for (const b of bytes) s += b.toString(36).padStart(2, '0');
	return s.slice(0, 14);
}

function toYMap(fields: object): Y.Map<unknown> {
	const map = new Y.Map<unknown>();
	for (const [k, v] of Object.entries(fields)) if (v !== undefined) map.set(k, v);
	return map;
}

function str(v: unknown, fallback = ''): string {
	return typeof v === 'string' ? v : fallback;
}
function num(v: unknown): number | undefined {
	return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** Reads one timeline entry defensively: integrations may write partial maps. */
export function readEntry(map: Y.Map<unknown>): TimelineEntry | null {
	const id = str(map.get('id'));
	if (!id) return null;
	const entry: TimelineEntry = {
		id,
		ts: num(map.get('ts')) ?? 0,
		kind: str(map.get('kind'), 'note'),
		text: str(map.get('text')),
		author: str(map.get('author'), SYSTEM_AUTHOR)
	};
	if (map.get('pinned') === true) entry.pinned = true;
	const editedAt = num(map.get('editedAt'));
	if (editedAt !== undefined) entry.editedAt = editedAt;
	return entry;
}

/** Timeline sorted by `ts`, ties broken by id so every client shows the same order. */
export function readTimeline(doc: Y.Doc): TimelineEntry[] {
	const entries: TimelineEntry[] = [];
	const seen = new Set<string>();
	for (const map of timelineOf(doc)) {
		if (!(map instanceof Y.Map)) continue;
		const e = readEntry(map);
		if (e && !seen.has(e.id)) {
			seen.add(e.id);
			entries.push(e);
		}
	}
	return entries.sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function appendEntry(
	doc: Y.Doc,
	entry: Omit<TimelineEntry, 'id'> & { id?: string }
): TimelineEntry {
	const full: TimelineEntry = { ...entry, id: entry.id ?? newId() };
	timelineOf(doc).push([toYMap(full)]);
	return full;
}

function findMap(
	array: Y.Array<Y.Map<unknown>>,
	id: string
): { map: Y.Map<unknown>; index: number } | null {
	let index = 0;
	for (const map of array) {
		if (map instanceof Y.Map && map.get('id') === id) return { map, index };
		index++;
	}
	return null;
}

export function updateEntry(
	doc: Y.Doc,
	id: string,
	change: Partial<Pick<TimelineEntry, 'text' | 'pinned' | 'ts' | 'editedAt'>>
): boolean {
	const found = findMap(timelineOf(doc), id);
	if (!found) return false;
	doc.transact(() => {
		for (const [k, v] of Object.entries(change)) {
			if (v === undefined) found.map.delete(k);
			else found.map.set(k, v);
		}
	});
	return true;
}

export function deleteEntry(doc: Y.Doc, id: string): boolean {
	const found = findMap(timelineOf(doc), id);
	if (!found) return false;
	timelineOf(doc).delete(found.index, 1);
	return true;
}

export function readChecklistItem(map: Y.Map<unknown>): ChecklistItem | null {
	const id = str(map.get('id'));
	if (!id) return null;
	const item: ChecklistItem = { id, text: str(map.get('text')), done: map.get('done') === true };
	const assignee = str(map.get('assignee'));
	if (assignee) item.assignee = assignee;
	const doneBy = str(map.get('doneBy'));
	if (doneBy) item.doneBy = doneBy;
	const doneAt = num(map.get('doneAt'));
	if (doneAt !== undefined) item.doneAt = doneAt;
	return item;
}

/** Checklist in document order; a duplicate id (two concurrent moves) shows once. */
export function readChecklist(doc: Y.Doc): ChecklistItem[] {
	const items: ChecklistItem[] = [];
	const seen = new Set<string>();
	for (const map of checklistOf(doc)) {
		if (!(map instanceof Y.Map)) continue;
		const item = readChecklistItem(map);
		if (item && !seen.has(item.id)) {
			seen.add(item.id);
			items.push(item);
		}
	}
	return items;
}

export function addChecklistItem(
	doc: Y.Doc,
	item: Omit<ChecklistItem, 'id' | 'done'> & { id?: string; done?: boolean }
): ChecklistItem {
	const full: ChecklistItem = { ...item, id: item.id ?? newId(), done: item.done ?? false };
	checklistOf(doc).push([toYMap(full)]);
	return full;
}

export function setChecklistDone(
	doc: Y.Doc,
	id: string,
	done: boolean,
	by: string,
	now = Date.now()
) {
	const found = findMap(checklistOf(doc), id);
	if (!found) return false;
	doc.transact(() => {
		found.map.set('done', done);
		if (done) {
			found.map.set('doneBy', by);
			found.map.set('doneAt', now);
		} else {
			found.map.delete('doneBy');
			found.map.delete('doneAt');
		}
	});
	return true;
}

export function updateChecklistItem(
	doc: Y.Doc,
	id: string,
	change: Partial<Pick<ChecklistItem, 'text' | 'assignee'>>
): boolean {
	const found = findMap(checklistOf(doc), id);
	if (!found) return false;
	doc.transact(() => {
		for (const [k, v] of Object.entries(change)) {
			if (v === undefined || v === '') found.map.delete(k);
			else found.map.set(k, v);
		}
	});
	return true;
}

export function deleteChecklistItem(doc: Y.Doc, id: string): boolean {
	const found = findMap(checklistOf(doc), id);
	if (!found) return false;
	checklistOf(doc).delete(found.index, 1);
	return true;
}

/** Move an item to `toIndex` (in the order readChecklist shows) by re-inserting a copy. */
export function moveChecklistItem(doc: Y.Doc, id: string, toIndex: number): boolean {
	const array = checklistOf(doc);
	const found = findMap(array, id);
	if (!found) return false;
	const item = readChecklistItem(found.map);
	if (!item) return false;
	doc.transact(() => {
		array.delete(found.index, 1);
		const target = Math.max(0, Math.min(toIndex, array.length));
		array.insert(target, [toYMap(item)]);
	});
	return true;
}
