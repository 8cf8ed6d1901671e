import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { signUpAndSignIn } from '$lib/server/auth-flow';
import { authPageLoad, nextAfterAuth } from '$lib/server/auth-page';

export const load: PageServerLoad = authPageLoad;

export const actions: Actions = {
	default: async ({ request, cookies, url, getClientAddress }) => {
		const form = await request.formData();
		const username = String(form.get('username') ?? '');
		const displayName = String(form.get('displayName') ?? '');
		const result = await signUpAndSignIn(
			{
				username,
				password: String(form.get('password') ?? ''),
				displayName: displayName.trim() || undefined
			},
			{ cookies, secure: url.protocol === 'https:', address: getClientAddress() }
		);
		if (!result.ok) return fail(result.status, { message: result.error, username, displayName });
		redirect(303, nextAfterAuth(url, form));
	}
};
