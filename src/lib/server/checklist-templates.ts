/** Mitigation checklist templates per severity: a shipped default, overridable by admins. */
import type { Kysely } from 'kysely';
import { SEVERITIES, type Severity } from '../incident/severity';
import type { Database } from './db/schema';

const COMMON = [
	'Confirm impact: who is affected, since when, how badly',
	'Post the first stakeholder update',
	'Check recent deploys and config changes; roll back if suspect',
	'Confirm the mitigation holds on dashboards for 15 minutes'
];

export const DEFAULT_TEMPLATES: Record<Severity, string[]> = {
	SEV1: [
		'Page the on-call for every affected service',
		'Open a status-page incident',
		...COMMON,
		'Brief executives and support leads'
	],
	SEV2: ['Page the on-call for the affected service', 'Open a status-page incident', ...COMMON],
	SEV3: [...COMMON],
	SEV4: ['Confirm there is no customer impact', 'Decide whether this needs a follow-up ticket']
};

export async function checklistTemplate(
	db: Kysely<Database>,
	severity: Severity
): Promise<string[]> {
	const row = await db
		.selectFrom('checklist_templates')
		.select('items')
		.where('severity', '=', severity)
		.executeTakeFirst();
	if (!row) return DEFAULT_TEMPLATES[severity];
	try {
		const items = JSON.parse(row.items);
		return Array.isArray(items) ? items.filter((i): i is string => typeof i === 'string') : [];
	} catch {
		return DEFAULT_TEMPLATES[severity];
	}
}

export async function allTemplates(db: Kysely<Database>): Promise<Record<Severity, string[]>> {
	const entries = await Promise.all(
		SEVERITIES.map(async (s) => [s, await checklistTemplate(db, s)] as const)
	);
	return Object.fromEntries(entries) as Record<Severity, string[]>;
}

export async function saveTemplate(
	db: Kysely<Database>,
	severity: Severity,
	items: string[],
	userId: string,
	now = Date.now()
): Promise<void> {
	const values = { severity, items: JSON.stringify(items), updated_by: userId, updated_at: now };
	await db
		.insertInto('checklist_templates')
		.values(values)
		.onConflict((oc) =>
			oc
				.column('severity')
				.doUpdateSet({ items: values.items, updated_by: userId, updated_at: now })
		)
		.execute();
}
