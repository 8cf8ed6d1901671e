/**
 * Gathers what the executive view shows: the incident from the database, the
 * checklist and key timeline from the live document (through the realtime
 * hub, never a second copy of the room), the last stakeholder update from
 * the audit trail.
 */
import type { Kysely } from 'kysely';
import { readChecklist, readTimeline } from '../doc/incident-doc';
import {
	boardEntry,
	execSummary,
	isKeyEntry,
	sortForBoard,
	type BoardEntry,
	type ExecSummary
} from '../incident/exec-summary';
import type { Database } from './db/schema';
import { latestStakeholderUpdate } from './incident-commands';
import { getIncident, listIncidents, type IncidentView } from './incidents';
import { realtimeHub } from './realtime-hub';

async function displayNames(db: Kysely<Database>, ids: string[]): Promise<Record<string, string>> {
	const unique = [...new Set(ids.filter((id) => id && id !== 'system'))];
	if (!unique.length) return {};
	const rows = await db
		.selectFrom('users')
		.select(['id', 'display_name'])
		.where('id', 'in', unique)
		.execute();
	return Object.fromEntries(rows.map((r) => [r.id, r.display_name]));
}

async function summarise(
	db: Kysely<Database>,
	incident: IncidentView,
	now: number
): Promise<ExecSummary> {
	const [{ timeline, checklist }, last] = await Promise.all([
		realtimeHub().readDocument(incident.id, (doc) => ({
			timeline: readTimeline(doc).filter(isKeyEntry),
			checklist: readChecklist(doc)
		})),
		latestStakeholderUpdate(db, incident.id)
	]);
	const names = await displayNames(db, [
		...timeline.map((e) => e.author),
		...(last ? [last.actorId] : [])
	]);
	const lastUpdate = last
		? { text: last.text, at: Number(last.at), by: names[last.actorId] ?? null }
		: null;
	return execSummary(incident, timeline, checklist, lastUpdate, now, names);
}

/** One incident's executive summary, or null when there is no such incident. */
export async function incidentExecSummary(
	db: Kysely<Database>,
	incidentId: string,
	now = Date.now()
): Promise<ExecSummary | null> {
	const incident = await getIncident(db, incidentId);
	return incident ? summarise(db, incident, now) : null;
}

/** Every active incident, most severe first. */
export async function execBoard(db: Kysely<Database>, now = Date.now()): Promise<BoardEntry[]> {
	const incidents = await listIncidents(db, { activeOnly: true });
	const summaries = await Promise.all(incidents.map((i) => summarise(db, i, now)));
	return sortForBoard(summaries.map(boardEntry));
}
