/**
 * The server-authoritative changes to an incident: status, severity, roles,
 * command handover, key timestamps, stakeholder updates. Each one checks the
 * permission rules, stores the change with who and when, echoes a `system`
 * entry into the timeline, and tells watching clients. Socket.IO handlers,
 * form actions and the JSON API all call these, so the rules live once.
 */
import type { Kysely } from 'kysely';
import { appendEntry, newId, SYSTEM_AUTHOR, type EntryKind } from '../doc/incident-doc';
import {
	checkTransition,
	stampsAfterTransition,
	STATUS_LABELS,
	type Status
} from '../incident/lifecycle';
import * as can from '../incident/permissions';
import {
	ROLE_NAMES,
	type AccountRole,
	type IncidentRoster,
	type SeatRole
} from '../incident/roles';
import type { Severity } from '../incident/severity';
import type { Database, IncidentRow, IncidentUpdate } from './db/schema';
import { getIncident, getIncidentRow, recordEvent, rosterOf, type IncidentView } from './incidents';
import { log } from './log';
import { takeLifecycleVersion } from './postmortem-versions';
import { realtimeHub } from './realtime-hub';

export interface CommandActor {
	id: string;
	role: AccountRole;
	displayName: string;
}

export type CommandError = {
	ok: false;
	code: 'not_found' | 'forbidden' | 'invalid' | 'conflict';
	error: string;
};
export type CommandResult = { ok: true; incident: IncidentView } | CommandError;

export const HTTP_STATUS: Record<CommandError['code'], number> = {
	not_found: 404,
	forbidden: 403,
	invalid: 400,
	conflict: 409
};

const notFound: CommandError = { ok: false, code: 'not_found', error: 'No such incident.' };
const forbidden = (p: can.Permission): CommandError => ({
	ok: false,
	code: 'forbidden',
	error: p.ok ? '' : p.reason
});
const invalid = (error: string): CommandError => ({ ok: false, code: 'invalid', error });
const conflict = (error: string): CommandError => ({ ok: false, code: 'conflict', error });

async function displayNameOf(db: Kysely<Database>, userId: string): Promise<string | null> {
	const row = await db
		.selectFrom('users')
		.select('display_name')
		.where('id', '=', userId)
		.executeTakeFirst();
	return row?.display_name ?? null;
}

/** What a command changes: stored, audited and echoed into the timeline together. */
interface Change {
	/** Columns of the incident row to set (updated_at is set anyway). */
	set?: IncidentUpdate;
	/** The audit event (incident_events). */
	event: { kind: string; data: Record<string, unknown> };
	/** The timeline entry that tells the room; a system entry unless `author` is given. */
	entry: { kind: EntryKind; text: string; author?: string };
	/** More writes that belong in the same transaction. */
	alsoWrite?: (trx: Kysely<Database>) => Promise<void>;
}

/** Stores the row change and audit event, echoes a timeline entry, notifies clients. */
async function commit(
	db: Kysely<Database>,
	actor: CommandActor,
	row: IncidentRow,
	now: number,
	{ set = {}, event, entry, alsoWrite }: Change
): Promise<CommandResult> {
	await db.transaction().execute(async (trx) => {
		await trx
			.updateTable('incidents')
			.set({ ...set, updated_at: now })
			.where('id', '=', row.id)
			.execute();
		await alsoWrite?.(trx);
		await recordEvent(trx, row.id, actor.id, event.kind, event.data, now);
	});
	log.info(`incident.${event.kind}`, { incidentId: row.id, userId: actor.id, ...event.data });
	const hub = realtimeHub();
	try {
		await hub.changeDocument(row.id, (doc) =>
			appendEntry(doc, {
				ts: now,
				kind: entry.kind,
				text: entry.text,
				author: entry.author ?? SYSTEM_AUTHOR
			})
		);
	} catch (err) {
		log.error('incident.timeline_echo_failed', { incidentId: row.id, userId: actor.id, err });
	}
	hub.incidentChanged(row.id);
	return { ok: true, incident: (await getIncident(db, row.id))! };
}

type Loaded = { ok: true; row: IncidentRow; roster: IncidentRoster };

async function load(db: Kysely<Database>, incidentId: string): Promise<Loaded | CommandError> {
	const row = await getIncidentRow(db, incidentId);
	if (!row) return notFound;
	return { ok: true, row, roster: await rosterOf(db, row) };
}

/** The incident, if it exists and `permit` allows the actor this command on its roster. */
async function loadPermitted(
	db: Kysely<Database>,
	incidentId: string,
	permit: (roster: IncidentRoster) => can.Permission
): Promise<Loaded | CommandError> {
	const found = await load(db, incidentId);
	if (!found.ok) return found;
	const allowed = permit(found.roster);
	return allowed.ok ? found : forbidden(allowed);
}

export async function setStatus(
	db: Kysely<Database>,
	actor: CommandActor,
	incidentId: string,
	status: Status,
	now = Date.now()
): Promise<CommandResult> {
	const found = await loadPermitted(db, incidentId, (roster) => can.canCommand(actor, roster));
	if (!found.ok) return found;
	const from = found.row.status as Status;
	const transition = checkTransition(from, status);
	if (!transition.ok) return conflict(transition.reason);
	const stamps = stampsAfterTransition(
		{
			mitigatedAt: found.row.mitigated_at,
			resolvedAt: found.row.resolved_at,
			closedAt: found.row.closed_at
		},
		status,
		now
	);
	const verb = transition.direction === 'backward' ? 'moved the incident back to' : 'set status to';
	const result = await commit(db, actor, found.row, now, {
		set: {
			status,
			mitigated_at: stamps.mitigatedAt,
			resolved_at: stamps.resolvedAt,
			closed_at: stamps.closedAt
		},
		event: { kind: 'status', data: { from, to: status, direction: transition.direction } },
		entry: { kind: 'status', text: `${actor.displayName} ${verb} ${STATUS_LABELS[status]}` }
	});
	// Every lifecycle change keeps the postmortem as it stood (never fails the command).
	if (result.ok) await takeLifecycleVersion(db, incidentId, STATUS_LABELS[status], actor.id);
	return result;
}

export async function setSeverity(
	db: Kysely<Database>,
	actor: CommandActor,
	incidentId: string,
	severity: Severity,
	now = Date.now()
): Promise<CommandResult> {
	const found = await loadPermitted(db, incidentId, (roster) => can.canCommand(actor, roster));
	if (!found.ok) return found;
	const from = found.row.severity;
	if (from === severity) return conflict(`The incident is already ${severity}.`);
	return commit(db, actor, found.row, now, {
		set: { severity },
		event: { kind: 'severity', data: { from, to: severity } },
		entry: {
			kind: 'severity',
			text: `${actor.displayName} changed severity from ${from} to ${severity}`
		}
	});
}

const SEAT_COLUMN = { comms: 'comms_lead_id', scribe: 'scribe_id' } as const;

/** Put someone in (userId) or take them out of (null) the comms or scribe seat. */
export async function assignSeat(
	db: Kysely<Database>,
	actor: CommandActor,
	incidentId: string,
	seat: Exclude<SeatRole, 'commander'>,
	userId: string | null,
	now = Date.now()
): Promise<CommandResult> {
	const found = await load(db, incidentId);
	if (!found.ok) return found;
	const current = found.roster[seat];
	if (userId === null) {
		const allowed = can.canReleaseSeat(actor, found.roster, seat);
		if (!allowed.ok) return forbidden(allowed);
		if (!current) return conflict(`Nobody is ${ROLE_NAMES[seat]}.`);
		const name = (await displayNameOf(db, current)) ?? 'Someone';
		return commit(db, actor, found.row, now, {
			set: { [SEAT_COLUMN[seat]]: null },
			event: { kind: 'role', data: { seat, from: current, to: null } },
			entry: { kind: 'role', text: `${name} is no longer ${ROLE_NAMES[seat]}` }
		});
	}
	const allowed = can.canAssignSeat(actor, found.roster, seat, userId);
	if (!allowed.ok) return forbidden(allowed);
	if (current === userId) return conflict(`They are already ${ROLE_NAMES[seat]}.`);
	const name = await displayNameOf(db, userId);
	if (!name) return invalid('No such user.');
	const how = userId === actor.id ? 'took the role' : `assigned by ${actor.displayName}`;
	return commit(db, actor, found.row, now, {
		set: { [SEAT_COLUMN[seat]]: userId },
		event: { kind: 'role', data: { seat, from: current, to: userId } },
		entry: { kind: 'role', text: `${name} is now ${ROLE_NAMES[seat]} (${how})` }
	});
}

export async function changeSme(
	db: Kysely<Database>,
	actor: CommandActor,
	incidentId: string,
	userId: string,
	add: boolean,
	now = Date.now()
): Promise<CommandResult> {
	const found = await loadPermitted(db, incidentId, (roster) =>
		can.canChangeSme(actor, roster, userId)
	);
	if (!found.ok) return found;
	const already = found.roster.smes.includes(userId);
	if (add === already)
		return conflict(add ? 'Already a subject-matter expert.' : 'Not a subject-matter expert.');
	const name = await displayNameOf(db, userId);
	if (!name) return invalid('No such user.');
	return commit(db, actor, found.row, now, {
		event: { kind: 'role', data: { seat: 'sme', user: userId, added: add } },
		entry: {
			kind: 'role',
			text: add
				? `${name} joined as Subject-matter expert`
				: `${name} is no longer a Subject-matter expert`
		},
		alsoWrite: async (trx) => {
			if (add)
				await trx
					.insertInto('incident_smes')
					.values({ incident_id: incidentId, user_id: userId, added_by: actor.id, added_at: now })
					.execute();
			else
				await trx
					.deleteFrom('incident_smes')
					.where('incident_id', '=', incidentId)
					.where('user_id', '=', userId)
					.execute();
		}
	});
}

/** The outgoing commander writes a brief; command moves only when the incoming one accepts it. */
export async function proposeHandover(
	db: Kysely<Database>,
	actor: CommandActor,
	incidentId: string,
	toUserId: string,
	brief: string,
	now = Date.now()
): Promise<CommandResult> {
	const found = await loadPermitted(db, incidentId, (roster) =>
		can.canHandOver(actor, roster, toUserId)
	);
	if (!found.ok) return found;
	const target = await db
		.selectFrom('users')
		.select(['display_name', 'role'])
		.where('id', '=', toUserId)
		.executeTakeFirst();
	if (!target) return invalid('No such user.');
	if (target.role === 'viewer') return invalid('A viewer cannot take command.');
	const id = newId();
	return commit(db, actor, found.row, now, {
		event: { kind: 'handover_proposed', data: { handoverId: id, to: toUserId } },
		entry: {
			kind: 'handover',
			text: `${actor.displayName} offered command to ${target.display_name}. Handover brief: ${brief}`,
			author: actor.id
		},
		alsoWrite: async (trx) => {
			// A new offer replaces any earlier one still pending.
			await trx
				.updateTable('handovers')
				.set({ state: 'cancelled', settled_at: now })
				.where('incident_id', '=', incidentId)
				.where('state', '=', 'pending')
				.execute();
			await trx
				.insertInto('handovers')
				.values({
					id,
					incident_id: incidentId,
					from_user_id: actor.id,
					to_user_id: toUserId,
					brief,
					state: 'pending',
					created_at: now,
					settled_at: null
				})
				.execute();
		}
	});
}

/** The incident and one of its handovers, which must still be pending. */
async function loadWithPendingHandover(
	db: Kysely<Database>,
	incidentId: string,
	handoverId: string
) {
	const found = await load(db, incidentId);
	if (!found.ok) return found;
	const handover = await db
		.selectFrom('handovers')
		.selectAll()
		.where('id', '=', handoverId)
		.where('incident_id', '=', incidentId)
		.executeTakeFirst();
	if (!handover || handover.state !== 'pending')
		return conflict('This handover is no longer pending.');
	return { ...found, handover };
}

export async function acceptHandover(
	db: Kysely<Database>,
	actor: CommandActor,
	incidentId: string,
	handoverId: string,
	acknowledgement: string,
	now = Date.now()
): Promise<CommandResult> {
	const found = await loadWithPendingHandover(db, incidentId, handoverId);
	if (!found.ok) return found;
	const { handover } = found;
	const allowed = can.canAcceptHandover(actor, handover.to_user_id);
	if (!allowed.ok) return forbidden(allowed);
	const previous = found.roster.commander;
	const ack = acknowledgement.trim() || 'Brief acknowledged.';
	return commit(db, actor, found.row, now, {
		set: { commander_id: actor.id },
		event: { kind: 'handover_accepted', data: { handoverId, from: previous, to: actor.id } },
		entry: {
			kind: 'role',
			text: `${actor.displayName} accepted command and is now Incident commander. Acknowledgement: ${ack}`
		},
		alsoWrite: async (trx) => {
			await trx
				.updateTable('handovers')
				.set({ state: 'accepted', settled_at: now })
				.where('id', '=', handoverId)
				.execute();
		}
	});
}

/** Withdraw (the proposer, an admin) or decline (the recipient) a pending handover. */
export async function cancelHandover(
	db: Kysely<Database>,
	actor: CommandActor,
	incidentId: string,
	handoverId: string,
	now = Date.now()
): Promise<CommandResult> {
	const found = await loadWithPendingHandover(db, incidentId, handoverId);
	if (!found.ok) return found;
	const { handover } = found;
	const party =
		actor.id === handover.from_user_id ||
		actor.id === handover.to_user_id ||
		actor.role === 'admin';
	if (!party)
		return {
			ok: false,
			code: 'forbidden',
			error: 'Only the people in this handover can cancel it.'
		};
	const declined = actor.id === handover.to_user_id;
	return commit(db, actor, found.row, now, {
		event: { kind: 'handover_cancelled', data: { handoverId, declined } },
		entry: {
			kind: 'handover',
			text: `${actor.displayName} ${declined ? 'declined' : 'withdrew'} the command handover`
		},
		alsoWrite: async (trx) => {
			await trx
				.updateTable('handovers')
				.set({ state: 'cancelled', settled_at: now })
				.where('id', '=', handoverId)
				.execute();
		}
	});
}

export const CORRECTABLE = {
	startedAt: 'started_at',
	detectedAt: 'detected_at',
	mitigatedAt: 'mitigated_at',
	resolvedAt: 'resolved_at'
} as const;
export type CorrectableStamp = keyof typeof CORRECTABLE;
const STAMP_NAMES: Record<CorrectableStamp, string> = {
	startedAt: 'impact started',
	detectedAt: 'detected',
	mitigatedAt: 'mitigated',
	resolvedAt: 'resolved'
};

/** Correct a key timestamp after the fact; audited with old value, new value and why. */
export async function correctTimestamp(
	db: Kysely<Database>,
	actor: CommandActor,
	incidentId: string,
	field: CorrectableStamp,
	value: number,
	reason: string,
	now = Date.now()
): Promise<CommandResult> {
	const found = await loadPermitted(db, incidentId, (roster) => can.canCommand(actor, roster));
	if (!found.ok) return found;
	if (value > now + 60_000) return invalid('A timestamp cannot be in the future.');
	const column = CORRECTABLE[field];
	const old = found.row[column];
	if ((field === 'mitigatedAt' || field === 'resolvedAt') && old === null)
		return conflict(`The incident has not been ${STAMP_NAMES[field]} yet.`);
	const next = { ...found.row, [column]: value };
	if (next.started_at > next.detected_at)
		return invalid('Impact cannot start after it was detected.');
	if (next.mitigated_at !== null && next.mitigated_at < next.started_at)
		return invalid('Mitigation cannot come before impact started.');
	if (next.resolved_at !== null && next.resolved_at < next.started_at)
		return invalid('Resolution cannot come before impact started.');
	const iso = (ms: number | null) => (ms === null ? 'unset' : new Date(ms).toISOString());
	return commit(db, actor, found.row, now, {
		set: { [column]: value },
		event: { kind: 'timestamp_corrected', data: { field, old, new: value, reason } },
		entry: {
			kind: 'status',
			text: `${actor.displayName} corrected "${STAMP_NAMES[field]}" from ${iso(old)} to ${iso(value)}: ${reason}`
		}
	});
}

export async function postStakeholderUpdate(
	db: Kysely<Database>,
	actor: CommandActor,
	incidentId: string,
	text: string,
	now = Date.now()
): Promise<CommandResult> {
	const found = await loadPermitted(db, incidentId, (roster) =>
		can.canPostStakeholderUpdate(actor, roster)
	);
	if (!found.ok) return found;
	return commit(db, actor, found.row, now, {
		event: { kind: 'update', data: { text } },
		entry: { kind: 'update', text, author: actor.id }
	});
}

export async function latestStakeholderUpdate(
	db: Kysely<Database>,
	incidentId: string
): Promise<{ text: string; at: number; actorId: string } | null> {
	const row = await db
		.selectFrom('incident_events')
		.select(['data', 'at', 'actor_id'])
		.where('incident_id', '=', incidentId)
		.where('kind', '=', 'update')
		.orderBy('at', 'desc')
		.orderBy('id', 'desc')
		.limit(1)
		.executeTakeFirst();
	if (!row) return null;
	return { text: String(JSON.parse(row.data).text ?? ''), at: row.at, actorId: row.actor_id };
}
