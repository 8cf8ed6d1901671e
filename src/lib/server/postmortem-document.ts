/**
 * Server-side edits of the postmortem text for SvelteKit routes: starting it
 * from the (admin-editable) blameless template, reading it for export.
 */
import type { Kysely } from 'kysely';
import { postmortemOf, readTimeline } from '../doc/incident-doc';
import { DETECTION_SOURCE_LABELS } from '../incident/severity';
import type { IncidentView } from '../incident/incident-view';
import { fillTemplate, formatUtc, refreshTimelineSection } from '../postmortem/timeline-section';
import type { Database } from './db/schema';
import { log } from './log';
import { notePostmortemAuthor } from './postmortem-autosave';
import { postmortemTemplate } from './postmortem-template';
import { realtimeHub } from './realtime-hub';
import { listUsers } from './users';

/** id → display name of every account, for naming timeline authors. */
export async function displayNames(db: Kysely<Database>): Promise<Record<string, string>> {
	const users = await listUsers(db);
	return Object.fromEntries(users.map((u) => [u.id, u.displayName]));
}

/**
 * Inserts the template (placeholders filled, timeline generated) if the
 * postmortem is still empty. False when someone already wrote in it.
 */
export async function startFromTemplate(
	db: Kysely<Database>,
	incident: IncidentView,
	userId: string
): Promise<boolean> {
	const [template, names] = await Promise.all([postmortemTemplate(db), displayNames(db)]);
	const filled = fillTemplate(template.body, {
		title: incident.title,
		severity: incident.severity,
		startedAt: formatUtc(incident.startedAt),
		detectedAt: formatUtc(incident.detectedAt),
		detectionSource: DETECTION_SOURCE_LABELS[incident.detectionSource] ?? incident.detectionSource
	});
	let inserted = false;
	notePostmortemAuthor(incident.id, userId);
	await realtimeHub().changeDocument(incident.id, (doc) => {
		const text = postmortemOf(doc);
		// Decided inside the room's queue, so two people clicking at once get one template.
		if (text.length > 0) return;
		const withTimeline = refreshTimelineSection(filled, readTimeline(doc), (id) => names[id]);
		text.insert(0, withTimeline ?? filled);
		inserted = true;
	});
	if (inserted) log.info('postmortem.template_inserted', { incidentId: incident.id, userId });
	return inserted;
}
