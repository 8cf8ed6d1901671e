/** Incidents as stored: declaring one, reading one with its roster, listing them. */
export type { IncidentView, PersonRef, PendingHandover } from '../incident/incident-view';
import type { Kysely } from 'kysely';
import { addChecklistItem, appendEntry, newId, SYSTEM_AUTHOR } from '../doc/incident-doc';
import type { IncidentView, PersonRef } from '../incident/incident-view';
import { isActive, type Status } from '../incident/lifecycle';
import type { IncidentRoster } from '../incident/roles';
import { severityRank, type DetectionSource, type Severity } from '../incident/severity';
import { checklistTemplate } from './checklist-templates';
import type { Database, IncidentRow } from './db/schema';
import { log } from './log';
import { realtimeHub } from './realtime-hub';

export interface DeclareInput {
	title: string;
	severity: Severity;
	summary?: string;
	detectionSource?: DetectionSource;
	startedAt?: number;
	detectedAt?: number;
	drill?: boolean;
}

export async function declareIncident(
	db: Kysely<Database>,
	actor: PersonRef,
	input: DeclareInput,
	now = Date.now()
): Promise<IncidentView> {
	const id = newId();
	const startedAt = Math.min(input.startedAt ?? now, now);
	const row: IncidentRow = {
		id,
		title: input.title.trim(),
		severity: input.severity,
		status: 'investigating',
		summary: input.summary?.trim() ?? '',
		detection_source: input.detectionSource ?? 'alert',
		drill: input.drill ? 1 : 0,
		started_at: startedAt,
		detected_at: Math.max(startedAt, Math.min(input.detectedAt ?? now, now)),
		declared_at: now,
		mitigated_at: null,
		resolved_at: null,
		closed_at: null,
		created_by: actor.id,
		commander_id: actor.id,
		comms_lead_id: null,
		scribe_id: null,
		category: null,
		updated_at: now
	};
	await db.transaction().execute(async (trx) => {
		await trx.insertInto('incidents').values(row).execute();
		await recordEvent(
			trx,
			id,
			actor.id,
			'declared',
			{ severity: row.severity, title: row.title },
			now
		);
	});
	const checklist = await checklistTemplate(db, input.severity);
	await seedDocument(id, actor, row, checklist, now);
	log.info('incident.declared', { incidentId: id, userId: actor.id, severity: row.severity });
	return (await getIncident(db, id))!;
}

async function seedDocument(
	id: string,
	actor: PersonRef,
	row: IncidentRow,
	checklist: string[],
	now: number
): Promise<void> {
	try {
		await realtimeHub().changeDocument(id, (doc) => {
			appendEntry(doc, {
				ts: now,
				kind: 'status',
				text: `${actor.displayName} declared a ${row.severity} incident: ${row.title}${row.drill ? ' (drill)' : ''}`,
				author: SYSTEM_AUTHOR
			});
			for (const text of checklist) addChecklistItem(doc, { text });
		});
	} catch (err) {
		// The incident exists either way; the room can be seeded by hand.
		log.error('incident.seed_failed', { incidentId: id, err });
	}
}

export async function recordEvent(
	db: Kysely<Database>,
	incidentId: string,
	actorId: string,
	kind: string,
	data: Record<string, unknown>,
	now = Date.now()
): Promise<void> {
	await db
		.insertInto('incident_events')
		.values({
			incident_id: incidentId,
			actor_id: actorId,
			kind,
			data: JSON.stringify(data),
			at: now
		})
		.execute();
}

export async function incidentExists(db: Kysely<Database>, id: string): Promise<boolean> {
	const row = await db.selectFrom('incidents').select('id').where('id', '=', id).executeTakeFirst();
	return !!row;
}

export async function getIncidentRow(
	db: Kysely<Database>,
	id: string
): Promise<IncidentRow | null> {
	return (
		(await db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst()) ?? null
	);
}

export async function rosterOf(db: Kysely<Database>, row: IncidentRow): Promise<IncidentRoster> {
	const smes = await db
		.selectFrom('incident_smes')
		.select('user_id')
		.where('incident_id', '=', row.id)
		.orderBy('added_at')
		.execute();
	return {
		commander: row.commander_id,
		comms: row.comms_lead_id,
		scribe: row.scribe_id,
		smes: smes.map((s) => s.user_id)
	};
}

async function people(db: Kysely<Database>, ids: string[]): Promise<Map<string, PersonRef>> {
	const unique = [...new Set(ids.filter(Boolean))];
	if (!unique.length) return new Map();
	const rows = await db
		.selectFrom('users')
		.select(['id', 'username', 'display_name'])
		.where('id', 'in', unique)
		.execute();
	return new Map(
		rows.map((r) => [r.id, { id: r.id, username: r.username, displayName: r.display_name }])
	);
}

async function toViews(db: Kysely<Database>, rows: IncidentRow[]): Promise<IncidentView[]> {
	if (!rows.length) return [];
	const ids = rows.map((r) => r.id);
	const smes = await db
		.selectFrom('incident_smes')
		.select(['incident_id', 'user_id'])
		.where('incident_id', 'in', ids)
		.orderBy('added_at')
		.execute();
	const handovers = await db
		.selectFrom('handovers')
		.selectAll()
		.where('incident_id', 'in', ids)
		.where('state', '=', 'pending')
		.execute();
	const who = await people(db, [
		...rows.flatMap((r) =>
			[r.commander_id, r.comms_lead_id, r.scribe_id].filter((x): x is string => !!x)
		),
		...smes.map((s) => s.user_id),
		...handovers.flatMap((h) => [h.from_user_id, h.to_user_id])
	]);
	const ref = (id: string | null) => (id ? (who.get(id) ?? null) : null);
	return rows.map((r) => {
		const h = handovers.find((x) => x.incident_id === r.id);
		return {
			id: r.id,
			title: r.title,
			severity: r.severity as Severity,
			status: r.status as Status,
			summary: r.summary,
			detectionSource: r.detection_source as DetectionSource,
			drill: r.drill === 1,
			category: r.category,
			startedAt: r.started_at,
			detectedAt: r.detected_at,
			declaredAt: r.declared_at,
			mitigatedAt: r.mitigated_at,
			resolvedAt: r.resolved_at,
			closedAt: r.closed_at,
			updatedAt: r.updated_at,
			roles: {
				commander: ref(r.commander_id),
				comms: ref(r.comms_lead_id),
				scribe: ref(r.scribe_id),
				smes: smes
					.filter((s) => s.incident_id === r.id)
					.map((s) => who.get(s.user_id))
					.filter((p): p is PersonRef => !!p)
			},
			pendingHandover:
				h && who.get(h.from_user_id) && who.get(h.to_user_id)
					? {
							id: h.id,
							from: who.get(h.from_user_id)!,
							to: who.get(h.to_user_id)!,
							brief: h.brief,
							createdAt: h.created_at
						}
					: null
		};
	});
}

export async function getIncident(db: Kysely<Database>, id: string): Promise<IncidentView | null> {
	const row = await getIncidentRow(db, id);
	if (!row) return null;
	return (await toViews(db, [row]))[0];
}

export interface IncidentFilter {
	status?: Status[];
	severity?: Severity[];
	/** Only live incidents (investigating, identified, mitigated). */
	activeOnly?: boolean;
}

/** Active incidents first, then most severe, then most recently declared. */
export async function listIncidents(
	db: Kysely<Database>,
	filter: IncidentFilter = {}
): Promise<IncidentView[]> {
	let q = db.selectFrom('incidents').selectAll();
	if (filter.status?.length) q = q.where('status', 'in', filter.status);
	if (filter.severity?.length) q = q.where('severity', 'in', filter.severity);
	const rows = await q.orderBy('declared_at', 'desc').limit(500).execute();
	const filtered = filter.activeOnly ? rows.filter((r) => isActive(r.status)) : rows;
	const sorted = filtered.sort(
		(a, b) =>
			Number(isActive(b.status)) - Number(isActive(a.status)) ||
			severityRank(a.severity) - severityRank(b.severity) ||
			b.declared_at - a.declared_at
	);
	return toViews(db, sorted);
}
