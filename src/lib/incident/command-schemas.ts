/**
 * Payload schemas for the incident commands, shared by the Socket.IO
 * handlers, the JSON API and form actions: one place validates the edge.
 */
import { z } from 'zod';
import { STATUSES } from './lifecycle';
import { SEVERITIES, DETECTION_SOURCES } from './severity';

const incidentId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be an incident id');
const userId = z.string().min(1).max(64);

export const commandSchemas = {
	'incident:status': z.object({ incidentId, status: z.enum(STATUSES) }),
	'incident:severity': z.object({ incidentId, severity: z.enum(SEVERITIES) }),
	'role:assign': z.object({
		incidentId,
		seat: z.enum(['comms', 'scribe']),
		userId: userId.nullable()
	}),
	'sme:add': z.object({ incidentId, userId }),
	'sme:remove': z.object({ incidentId, userId }),
	'handover:propose': z.object({
		incidentId,
		toUserId: userId,
		brief: z.string().trim().min(1, 'write a handover brief').max(4000)
	}),
	'handover:accept': z.object({
		incidentId,
		handoverId: z.string().min(1).max(64),
		acknowledgement: z.string().trim().max(2000).default('')
	}),
	'handover:cancel': z.object({ incidentId, handoverId: z.string().min(1).max(64) }),
	'timestamp:correct': z.object({
		incidentId,
		field: z.enum(['startedAt', 'detectedAt', 'mitigatedAt', 'resolvedAt']),
		value: z.number().int().positive(),
		reason: z.string().trim().min(1, 'say why the time is corrected').max(1000)
	}),
	'update:post': z.object({
		incidentId,
		text: z.string().trim().min(1, 'write the update').max(4000)
	})
} as const;

export type CommandName = keyof typeof commandSchemas;
export type CommandPayload<N extends CommandName> = z.output<(typeof commandSchemas)[N]>;

export const declareSchema = z.object({
	title: z.string().trim().min(1, 'title is required').max(200),
	severity: z.enum(SEVERITIES, { message: 'severity must be one of SEV1, SEV2, SEV3, SEV4' }),
	summary: z.string().trim().max(4000).optional(),
	detectionSource: z.enum(DETECTION_SOURCES).optional(),
	startedAt: z.number().int().positive().optional(),
	detectedAt: z.number().int().positive().optional(),
	drill: z.boolean().optional()
});

/** "title: title is required" — names the field, for 400 responses. */
export function describeIssues(error: z.ZodError): string {
	return error.issues
		.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
		.join('; ');
}
