/** The blameless postmortem template: the shipped Markdown file, overridable by admins. */
import type { Kysely } from 'kysely';
import DEFAULT_TEMPLATE from '../postmortem/default-template.md?raw';
import type { Database } from './db/schema';

export { DEFAULT_TEMPLATE };

const NAME = 'default';
export const MAX_TEMPLATE_LENGTH = 50_000;

export interface PostmortemTemplate {
	body: string;
	/** False while the shipped default applies. */
	custom: boolean;
	updatedAt: number | null;
}

export async function postmortemTemplate(db: Kysely<Database>): Promise<PostmortemTemplate> {
	const row = await db
		.selectFrom('postmortem_templates')
		.select(['body', 'updated_at'])
		.where('name', '=', NAME)
		.executeTakeFirst();
	if (!row) return { body: DEFAULT_TEMPLATE, custom: false, updatedAt: null };
	return { body: row.body, custom: true, updatedAt: Number(row.updated_at) };
}

export async function savePostmortemTemplate(
	db: Kysely<Database>,
	body: string,
	userId: string,
	now = Date.now()
): Promise<void> {
	await db
		.insertInto('postmortem_templates')
		.values({ name: NAME, body, updated_by: userId, updated_at: now })
		.onConflict((oc) =>
			oc.column('name').doUpdateSet({ body, updated_by: userId, updated_at: now })
		)
		.execute();
}

/** Back to the shipped default. */
export async function resetPostmortemTemplate(db: Kysely<Database>): Promise<void> {
	await db.deleteFrom('postmortem_templates').where('name', '=', NAME).execute();
}
