/** Small helpers shared by the JSON API routes: errors as `{ error }`, bodies through a schema. */
import type { RequestEvent } from '@sveltejs/kit';
import type { z } from 'zod';
import { describeIssues } from '../incident/command-schemas';
import type { SessionUser } from './session';

export function apiError(status: number, error: string, headers?: HeadersInit): Response {
	return Response.json({ error }, { status, headers });
}

export type Parsed<T> = { ok: true; data: T } | { ok: false; response: Response };

/** Reads a JSON body without validating it (the caller's module validates); a 400 if it is not JSON. */
export async function readJsonBody(request: Request): Promise<Parsed<unknown>> {
	try {
		return { ok: true, data: await request.json() };
	} catch {
		return { ok: false, response: apiError(400, 'The body must be valid JSON.') };
	}
}

/** Reads a JSON body and validates it; a 400 that names the field otherwise. */
export async function readJson<S extends z.ZodType>(
	request: Request,
	schema: S
): Promise<Parsed<z.output<S>>> {
	const body = await readJsonBody(request);
	if (!body.ok) return body;
	const parsed = schema.safeParse(body.data);
	if (!parsed.success) return { ok: false, response: apiError(400, describeIssues(parsed.error)) };
	return { ok: true, data: parsed.data };
}

/** The signed-in user (hooks already answered 401 for signed-out /api callers). */
export function apiUser(event: RequestEvent): SessionUser {
	const user = event.locals.user;
	if (!user) throw new Error('apiUser called on an unauthenticated request');
	return user;
}

export function refuseViewer(user: SessionUser): Response | null {
	return user.role === 'viewer' ? apiError(403, 'Your account is read-only (viewer).') : null;
}
