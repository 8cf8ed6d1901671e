import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { parseDateTimeLocal, toDateTimeLocal } from '$lib/datetime-local';
import { declareSchema, describeIssues } from '$lib/incident/command-schemas';
import { database } from '$lib/server/db';
import { declareIncident } from '$lib/server/incidents';
import { requireResponder } from '$lib/server/page-access';

/** A little clock skew between browser and server is not a mistake worth refusing. */
const FUTURE_TOLERANCE_MS = 2 * 60_000;

export const load: PageServerLoad = ({ locals, url }) => {
	requireResponder(locals, url);
	// The no-JavaScript default, in the server's zone; the page swaps in the browser's.
	return { defaultStartedAt: toDateTimeLocal(Date.now()) };
};

export const actions: Actions = {
	default: async ({ locals, request, url }) => {
		const user = requireResponder(locals, url);
		const form = await request.formData();
		const text = (name: string) => String(form.get(name) ?? '');
		const fields = {
			title: text('title'),
			severity: text('severity'),
			summary: text('summary'),
			detectionSource: text('detectionSource') || 'alert',
			startedAt: text('startedAt'),
			drill: form.get('drill') === 'on'
		};
		const invalid = (field: string, message: string) =>
			fail(400, { message, invalid: field, ...fields });

		const startedAt = impactStart(text('startedAtMs'), fields.startedAt);
		if (startedAt === 'invalid')
			return invalid('startedAt', 'startedAt: is not a valid date and time');
		if (startedAt !== undefined && startedAt > Date.now() + FUTURE_TOLERANCE_MS) {
			return invalid('startedAt', 'startedAt: impact cannot start in the future');
		}

		const parsed = declareSchema.safeParse({
			title: fields.title,
			severity: fields.severity || undefined,
			summary: fields.summary.trim() || undefined,
			detectionSource: fields.detectionSource,
			startedAt,
			drill: fields.drill
		});
		if (!parsed.success) {
			return invalid(String(parsed.error.issues[0]?.path[0] ?? ''), describeIssues(parsed.error));
		}

		const { db } = await database();
		const incident = await declareIncident(
			db,
			{ id: user.id, username: user.username, displayName: user.display_name },
			parsed.data
		);
		redirect(303, `/incidents/${incident.id}`);
	}
};

/**
 * The browser posts the instant it meant (`startedAtMs`) when JavaScript runs;
 * without it the wall-clock value is read in the server's zone.
 */
function impactStart(epochMs: string, wallClock: string): number | undefined | 'invalid' {
	if (/^\d{1,15}$/.test(epochMs)) return Number(epochMs);
	if (!wallClock.trim()) return undefined;
	return parseDateTimeLocal(wallClock) ?? 'invalid';
}
