/**
 * Who may see a page or run a form action, for the SvelteKit pages. Layout
 * loads do not guard form actions, so every action calls these itself.
 */
import { error, redirect } from '@sveltejs/kit';
import type { SessionUser } from './session';

/** A path inside this app that is safe to send the user back to after signing in. */
export function safeNextPath(value: string | null | undefined): string {
	if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) {
		return '/';
	}
	return value;
}

/** The signed-in user, or a redirect to the sign-in page that returns here afterwards. */
export function requireUser(locals: App.Locals, url: URL): SessionUser {
	if (locals.user) return locals.user;
	const next = url.pathname + url.search;
	redirect(303, next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`);
}

/** Admins and responders; viewers are read-only everywhere. */
export function requireResponder(locals: App.Locals, url: URL): SessionUser {
	const user = requireUser(locals, url);
	if (user.role === 'viewer') error(403, 'Your account is read-only (viewer).');
	return user;
}

export function requireAdmin(locals: App.Locals, url: URL): SessionUser {
	const user = requireUser(locals, url);
	if (user.role !== 'admin') error(403, 'Only an admin can open this page.');
	return user;
}
