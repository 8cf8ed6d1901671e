import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { SEVERITIES, type Severity } from '$lib/incident/severity';
import { allTemplates, saveTemplate } from '$lib/server/checklist-templates';
import { database } from '$lib/server/db';
import { log } from '$lib/server/log';
import { requireAdmin } from '$lib/server/page-access';

const MAX_ITEMS = 50;
const MAX_ITEM_LENGTH = 300;

export const load: PageServerLoad = async ({ locals, url }) => {
	requireAdmin(locals, url);
	const { db } = await database();
	return { templates: await allTemplates(db), saved: url.searchParams.has('saved') };
};

/** One checklist item per non-blank line. */
function itemsFrom(text: string): string[] {
	return text
		.split(/\r?\n/)
		.map((line) => line.trim())
		.filter(Boolean);
}

export const actions: Actions = {
	save: async ({ locals, request, url }) => {
		const admin = requireAdmin(locals, url);
		const form = await request.formData();
		const texts = Object.fromEntries(
			SEVERITIES.map((s) => [s, String(form.get(s) ?? '')])
		) as Record<Severity, string>;

		for (const s of SEVERITIES) {
			const items = itemsFrom(texts[s]);
			if (items.length > MAX_ITEMS) {
				return fail(400, { message: `${s}: at most ${MAX_ITEMS} items`, invalid: s, texts });
			}
			const long = items.findIndex((i) => i.length > MAX_ITEM_LENGTH);
			if (long >= 0) {
				return fail(400, {
					message: `${s}: item ${long + 1} is longer than ${MAX_ITEM_LENGTH} characters`,
					invalid: s,
					texts
				});
			}
		}

		const { db } = await database();
		const current = await allTemplates(db);
		// Only what changed is stored, so untouched severities keep following the shipped defaults.
		for (const s of SEVERITIES) {
			const items = itemsFrom(texts[s]);
			if (JSON.stringify(items) === JSON.stringify(current[s])) continue;
			await saveTemplate(db, s, items, admin.id);
			log.info('checklist_template.saved', { userId: admin.id, severity: s, items: items.length });
		}
		redirect(303, '/admin/templates?saved');
	}
};
