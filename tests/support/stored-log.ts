/**
 * What is stored for an incident's document, read straight from the tables:
 * the log rows still present and the compacted state's `through_seq`.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../src/lib/server/db/schema';

export async function storedLog(
	db: Kysely<Database>,
	incidentId: string
): Promise<{ seqs: number[]; throughSeq: number | null }> {
	const rows = await db
		.selectFrom('yjs_updates')
		.select('seq')
		.where('incident_id', '=', incidentId)
		.orderBy('seq')
		.execute();
	const state = await db
		.selectFrom('yjs_states')
		.select('through_seq')
		.where('incident_id', '=', incidentId)
		.executeTakeFirst();
	return {
		seqs: rows.map((r) => Number(r.seq)),
		throughSeq: state ? Number(state.through_seq) : null
	};
}
