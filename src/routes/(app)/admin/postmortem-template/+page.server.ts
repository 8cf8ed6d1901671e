import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { database } from '$lib/server/db';
import { log } from '$lib/server/log';
import { requireAdmin } from '$lib/server/page-access';
import {
	DEFAULT_TEMPLATE,
	MAX_TEMPLATE_LENGTH,
	postmortemTemplate,
	resetPostmortemTemplate,
	savePostmortemTemplate
} from '$lib/server/postmortem-template';

export const load: PageServerLoad = async ({ locals, url }) => {
	requireAdmin(locals, url);
	const { db } = await database();
	const template = await postmortemTemplate(db);
	return {
		template,
		defaultTemplate: DEFAULT_TEMPLATE,
		saved: url.searchParams.get('saved')
	};
};

export const actions: Actions = {
	save: async ({ locals, request, url }) => {
		const admin = requireAdmin(locals, url);
		const body = String((await request.formData()).get('body') ?? '').replace(/\r\n/g, '\n');
		if (body.trim() === '') return fail(400, { message: 'The template cannot be empty.', body });
		if (body.length > MAX_TEMPLATE_LENGTH)
			return fail(400, {
				message: `The template must be at most ${MAX_TEMPLATE_LENGTH} characters.`,
				body
			});
		const { db } = await database();
		await savePostmortemTemplate(db, body, admin.id);
		log.info('postmortem_template.saved', { userId: admin.id, chars: body.length });
		redirect(303, '/admin/postmortem-template?saved=1');
	},
	reset: async ({ locals, url }) => {
		const admin = requireAdmin(locals, url);
		const { db } = await database();
		await resetPostmortemTemplate(db);
		log.info('postmortem_template.reset', { userId: admin.id });
		redirect(303, '/admin/postmortem-template?saved=reset');
	}
};
