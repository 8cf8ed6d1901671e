/**
 * Shared server side of the sign-in and sign-up pages: both carry a `next`
 * path through the form and send the user there once they are signed in.
 */
import { redirect } from '@sveltejs/kit';
import { safeNextPath } from './page-access';

/** Page load: someone already signed in skips the form and goes straight on. */
export function authPageLoad({ locals, url }: { locals: App.Locals; url: URL }): { next: string } {
	const next = safeNextPath(url.searchParams.get('next'));
	if (locals.user) redirect(303, next);
	return { next };
}

/** Where to go after a successful submit: the query's `next` wins over the hidden field. */
export function nextAfterAuth(url: URL, form: FormData): string {
	return safeNextPath(url.searchParams.get('next') ?? String(form.get('next') ?? ''));
}
