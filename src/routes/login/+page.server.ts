import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { signIn } from '$lib/server/auth-flow';
import { authPageLoad, nextAfterAuth } from '$lib/server/auth-page';

export const load: PageServerLoad = authPageLoad;

export const actions: Actions = {
	default: async ({ request, cookies, url, getClientAddress }) => {
		const form = await request.formData();
		const username = String(form.get('username') ?? '');
		const result = await signIn(
			{ username, password: String(form.get('password') ?? '') },
			{ cookies, secure: url.protocol === 'https:', address: getClientAddress() }
		);
		if (!result.ok) return fail(result.status, { message: result.error, username });
		redirect(303, nextAfterAuth(url, form));
	}
};
