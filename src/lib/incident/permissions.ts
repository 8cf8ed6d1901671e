/**
 * Who may do what. Pure: given the actor and the incident's roster, answer
 * allowed or refused-with-a-reason. The server calls this for every command;
 * the UI calls it only to hide controls that would be refused anyway.
 */
import type { AccountRole, IncidentRoster, SeatRole } from './roles';

export interface Actor {
	id: string;
	role: AccountRole;
}

export type Permission = { ok: true } | { ok: false; reason: string };

const ALLOWED: Permission = { ok: true };
const refuse = (reason: string): Permission => ({ ok: false, reason });

const READ_ONLY = 'Your account is read-only (viewer).';

function isCommanderOrAdmin(actor: Actor, roster: IncidentRoster): boolean {
	return actor.role === 'admin' || roster.commander === actor.id;
}

/** Declare an incident: any responder or admin. */
export function canDeclare(actor: Actor): Permission {
	return actor.role === 'viewer' ? refuse(READ_ONLY) : ALLOWED;
}

/** Write the collaborative document (timeline, checklist, postmortem). */
export function canWriteDocument(actor: Actor): Permission {
	return actor.role === 'viewer' ? refuse(READ_ONLY) : ALLOWED;
}

/** Status, severity, key timestamps: the commander's call (or an admin's). */
export function canCommand(actor: Actor, roster: IncidentRoster): Permission {
	if (actor.role === 'viewer') return refuse(READ_ONLY);
	return isCommanderOrAdmin(actor, roster)
		? ALLOWED
		: refuse('Only the incident commander or an admin can do this.');
}

/** Propose handing command to someone else. */
export function canHandOver(actor: Actor, roster: IncidentRoster, toUserId: string): Permission {
	const base = canCommand(actor, roster);
	if (!base.ok) return base;
	if (roster.commander === toUserId) return refuse('That person is already the commander.');
	return ALLOWED;
}

/** Accept a pending handover: only the person it is addressed to. */
export function canAcceptHandover(actor: Actor, handoverTo: string): Permission {
	if (actor.role === 'viewer') return refuse(READ_ONLY);
	return actor.id === handoverTo ? ALLOWED : refuse('This handover is addressed to someone else.');
}

/**
 * Put someone in the comms or scribe seat. The commander or an admin assigns
 * anyone; a responder may claim an empty seat for themselves.
 */
export function canAssignSeat(
	actor: Actor,
	roster: IncidentRoster,
	seat: Exclude<SeatRole, 'commander'>,
	userId: string
): Permission {
	if (actor.role === 'viewer') return refuse(READ_ONLY);
	if (isCommanderOrAdmin(actor, roster)) return ALLOWED;
	if (userId !== actor.id) return refuse('Only the incident commander can assign roles to others.');
	if (roster[seat] && roster[seat] !== actor.id) return refuse('That role is already taken.');
	return ALLOWED;
}

/** Leave the comms or scribe seat: its holder, the commander or an admin. */
export function canReleaseSeat(
	actor: Actor,
	roster: IncidentRoster,
	seat: Exclude<SeatRole, 'commander'>
): Permission {
	if (actor.role === 'viewer') return refuse(READ_ONLY);
	if (isCommanderOrAdmin(actor, roster) || roster[seat] === actor.id) return ALLOWED;
	return refuse('Only the role holder or the incident commander can release it.');
}

/** Add or remove a subject-matter expert: anyone for themselves, the commander for anyone. */
export function canChangeSme(actor: Actor, roster: IncidentRoster, userId: string): Permission {
	if (actor.role === 'viewer') return refuse(READ_ONLY);
	if (isCommanderOrAdmin(actor, roster) || userId === actor.id) return ALLOWED;
	return refuse('Only the incident commander can add or remove other experts.');
}

/** Post a stakeholder update: the communications lead, the commander, or an admin. */
export function canPostStakeholderUpdate(actor: Actor, roster: IncidentRoster): Permission {
	if (actor.role === 'viewer') return refuse(READ_ONLY);
	if (isCommanderOrAdmin(actor, roster) || roster.comms === actor.id) return ALLOWED;
	return refuse(
		'Only the communications lead or the incident commander posts stakeholder updates.'
	);
}

/** Administer accounts and templates. */
export function canAdminister(actor: Actor): Permission {
	return actor.role === 'admin' ? ALLOWED : refuse('Only an admin can do this.');
}
