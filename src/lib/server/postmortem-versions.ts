/**
 * Postmortem versions: Yjs snapshots of the (gc: false) incident document,
 * stored with a label, kind, authors and time. A version's text is rebuilt
 * from its snapshot; a restore is a new forward edit (the smallest splice from
 * the current text to the old one), so everyone connected sees it live and
 * nothing is lost. Used by the JSON API, the lifecycle commands and autosave.
 */
import type { Kysely } from 'kysely';
import * as Y from 'yjs';
import { newId, newIncidentDoc, postmortemOf } from '../doc/incident-doc';
import { minimalEdit } from '../postmortem/minimal-edit';
import type { PersonName, PostmortemVersion, VersionKind } from '../postmortem/versions';
import type { Database } from './db/schema';
import { log } from './log';
import { takePostmortemAuthors } from './postmortem-autosave';
import { realtimeHub } from './realtime-hub';

export type { PersonName, PostmortemVersion, VersionKind };

export const SYSTEM_CREATOR = 'system';
export const MAX_LABEL_LENGTH = 120;

interface VersionRow {
	id: string;
	incident_id: string;
	label: string;
	kind: string;
	authors: string;
	created_by: string;
	created_at: number;
}

function parseAuthors(json: string): string[] {
	try {
		const value = JSON.parse(json);
		return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
	} catch {
		return [];
	}
}

async function namesOf(db: Kysely<Database>, ids: string[]): Promise<Map<string, string>> {
	const unique = [...new Set(ids)].filter((id) => id !== SYSTEM_CREATOR);
	if (unique.length === 0) return new Map();
	const rows = await db
		.selectFrom('users')
		.select(['id', 'display_name'])
		.where('id', 'in', unique)
		.execute();
	return new Map(rows.map((r) => [r.id, r.display_name]));
}

async function toViews(db: Kysely<Database>, rows: VersionRow[]): Promise<PostmortemVersion[]> {
	const authorIds = rows.map((r) => parseAuthors(r.authors));
	const names = await namesOf(db, [...authorIds.flat(), ...rows.map((r) => r.created_by)]);
	const person = (id: string): PersonName => ({ id, name: names.get(id) ?? 'Former user' });
	return rows.map((r, i) => ({
		id: r.id,
		incidentId: r.incident_id,
		label: r.label,
		kind: r.kind as VersionKind,
		authors: authorIds[i].map(person),
		createdBy: r.created_by === SYSTEM_CREATOR ? null : person(r.created_by),
		createdAt: Number(r.created_at)
	}));
}

const COLUMNS = [
	'id',
	'incident_id',
	'label',
	'kind',
	'authors',
	'created_by',
	'created_at'
] as const;

/** Newest first. */
export async function listVersions(
	db: Kysely<Database>,
	incidentId: string
): Promise<PostmortemVersion[]> {
	const rows = await db
		.selectFrom('postmortem_versions')
		.select(COLUMNS)
		.where('incident_id', '=', incidentId)
		.orderBy('created_at', 'desc')
		.orderBy('id', 'desc')
		.execute();
	return toViews(db, rows);
}

export interface NewVersion {
	kind: VersionKind;
	label: string;
	/** A user id, or SYSTEM_CREATOR. */
	createdBy: string;
	/** Authors besides those autosave saw editing since the last version (e.g. who restored). */
	authors?: string[];
}

async function insertVersion(
	db: Kysely<Database>,
	incidentId: string,
	input: NewVersion,
	snapshot: Uint8Array,
	text: string,
	now: number
): Promise<PostmortemVersion> {
	const authors = [
		...new Set([...takePostmortemAuthors(incidentId, text), ...(input.authors ?? [])])
	];
	const row = {
		id: newId(),
		incident_id: incidentId,
		label: input.label.slice(0, MAX_LABEL_LENGTH),
		kind: input.kind,
		authors: JSON.stringify(authors),
		snapshot,
		text,
		created_by: input.createdBy,
		created_at: now
	};
	await db.insertInto('postmortem_versions').values(row).execute();
	log.info('postmortem.version_taken', {
		incidentId,
		userId: input.createdBy,
		versionId: row.id,
		kind: input.kind,
		authors: authors.length,
		chars: text.length
	});
	const [view] = await toViews(db, [row]);
	return view;
}

/** Snapshots the postmortem as it is now and stores it as a version. */
export async function takeVersion(
	db: Kysely<Database>,
	incidentId: string,
	input: NewVersion,
	now = Date.now()
): Promise<PostmortemVersion> {
	const { snapshot, text } = await realtimeHub().readDocument(incidentId, (doc) => ({
		snapshot: Y.encodeSnapshot(Y.snapshot(doc)),
		text: postmortemOf(doc).toString()
	}));
	return insertVersion(db, incidentId, input, snapshot, text, now);
}

/** The lifecycle version for a status change; never fails the command that called it. */
export async function takeLifecycleVersion(
	db: Kysely<Database>,
	incidentId: string,
	statusLabel: string,
	actorId: string
): Promise<void> {
	try {
		await takeVersion(db, incidentId, {
			kind: 'lifecycle',
			label: `Status: ${statusLabel}`,
			createdBy: actorId
		});
	} catch (err) {
		log.error('postmortem.lifecycle_version_failed', { incidentId, userId: actorId, err });
	}
}

async function snapshotRow(db: Kysely<Database>, incidentId: string, versionId: string) {
	return db
		.selectFrom('postmortem_versions')
		.select([...COLUMNS, 'snapshot', 'text'])
		.where('incident_id', '=', incidentId)
		.where('id', '=', versionId)
		.executeTakeFirst();
}

/** The postmortem text of a stored snapshot, rebuilt from the full (gc: false) document. */
export function textAtSnapshot(state: Uint8Array, snapshot: Uint8Array): string {
	const origin = newIncidentDoc();
	Y.applyUpdate(origin, state);
	const at = Y.createDocFromSnapshot(origin, Y.decodeSnapshot(snapshot));
	const text = postmortemOf(at).toString();
	at.destroy();
	origin.destroy();
	return text;
}

export async function currentPostmortemText(incidentId: string): Promise<string> {
	return realtimeHub().readDocument(incidentId, (doc) => postmortemOf(doc).toString());
}

export interface VersionWithText {
	version: PostmortemVersion;
	text: string;
}

/** A version and its text; null if the incident has no such version. */
export async function readVersion(
	db: Kysely<Database>,
	incidentId: string,
	versionId: string
): Promise<VersionWithText | null> {
	const row = await snapshotRow(db, incidentId, versionId);
	if (!row) return null;
	const text = row.text ?? (await rebuiltText(incidentId, row.snapshot));
	const [version] = await toViews(db, [row]);
	return { version, text };
}

/** A version's text from its snapshot: for versions stored before their text was kept. */
async function rebuiltText(incidentId: string, snapshot: Uint8Array): Promise<string> {
	const state = await realtimeHub().readDocument(incidentId, (doc) => Y.encodeStateAsUpdate(doc));
	return textAtSnapshot(state, snapshot);
}

/** The most recent version's text, or null when there is none. */
export async function latestVersionText(
	db: Kysely<Database>,
	incidentId: string
): Promise<string | null> {
	const row = await db
		.selectFrom('postmortem_versions')
		.select(['id', 'snapshot', 'text'])
		.where('incident_id', '=', incidentId)
		.orderBy('created_at', 'desc')
		.orderBy('id', 'desc')
		.executeTakeFirst();
	if (!row) return null;
	return row.text ?? (await rebuiltText(incidentId, row.snapshot));
}

/**
 * Restores a version as a new forward edit: the current text is first kept as
 * a version if it has unsaved changes, then replaced by the old text with the
 * smallest splice, and the result is stored as a `restore` version.
 */
export async function restoreVersion(
	db: Kysely<Database>,
	incidentId: string,
	versionId: string,
	actorId: string
): Promise<VersionWithText | null> {
	const old = await readVersion(db, incidentId, versionId);
	if (!old) return null;
	const [current, latest] = await Promise.all([
		currentPostmortemText(incidentId),
		latestVersionText(db, incidentId)
	]);
	if (latest !== current) {
		await takeVersion(db, incidentId, {
			kind: 'auto',
			label: `Before restoring “${old.version.label}”`,
			createdBy: SYSTEM_CREATOR
		});
	}
	const result: { snapshot: Uint8Array; text: string } = { snapshot: new Uint8Array(0), text: '' };
	await realtimeHub().changeDocument(incidentId, (doc) => {
		const ytext = postmortemOf(doc);
		const splice = minimalEdit(ytext.toString(), old.text);
		if (splice) {
			if (splice.remove) ytext.delete(splice.index, splice.remove);
			if (splice.insert) ytext.insert(splice.index, splice.insert);
		}
		// Taken inside the change, so it is exactly the restored state, whatever arrives next.
		result.snapshot = Y.encodeSnapshot(Y.snapshot(doc));
		result.text = ytext.toString();
	});
	const version = await insertVersion(
		db,
		incidentId,
		{
			kind: 'restore',
			label: `Restored “${old.version.label}”`,
			createdBy: actorId,
			authors: [actorId]
		},
		result.snapshot,
		result.text,
		Date.now()
	);
	log.info('postmortem.restored', {
		incidentId,
		userId: actorId,
		versionId,
		restoredAs: version.id
	});
	return { version, text: result.text };
}
