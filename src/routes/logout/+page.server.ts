import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { signOut } from '$lib/server/auth-flow';

// Signing out is a POST (a link could be prefetched); a GET only offers the button.
export const load: PageServerLoad = ({ locals }) => {
	if (!locals.user) redirect(303, '/login');
};

export const actions: Actions = {
	default: async ({ locals, cookies, url }) => {
		await signOut(locals.session?.id, { cookies, secure: url.protocol === 'https:' });
		redirect(303, '/login');
	}
};
