/** Account access levels and incident roles, with the short badges shown beside names. */

export const ACCOUNT_ROLES = ['admin', 'responder', 'viewer'] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];

export function isAccountRole(value: unknown): value is AccountRole {
	return typeof value === 'string' && (ACCOUNT_ROLES as readonly string[]).includes(value);
}

/** The single-holder incident roles. Subject-matter experts are a set, kept apart. */
export const SEAT_ROLES = ['commander', 'comms', 'scribe'] as const;
export type SeatRole = (typeof SEAT_ROLES)[number];
export type IncidentRole = SeatRole | 'sme';

export function isSeatRole(value: unknown): value is SeatRole {
	return typeof value === 'string' && (SEAT_ROLES as readonly string[]).includes(value);
}

export const ROLE_BADGES: Record<IncidentRole, string> = {
	commander: 'IC',
	comms: 'Comms',
	scribe: 'Scribe',
	sme: 'SME'
};

export const ROLE_NAMES: Record<IncidentRole, string> = {
	commander: 'Incident commander',
	comms: 'Communications lead',
	scribe: 'Scribe',
	sme: 'Subject-matter expert'
};

/** Who holds what in one incident. */
export interface IncidentRoster {
	commander: string | null;
	comms: string | null;
	scribe: string | null;
	smes: string[];
}

/** The incident roles one user holds, in badge order. */
export function rolesOf(roster: IncidentRoster, userId: string): IncidentRole[] {
	const roles: IncidentRole[] = [];
	for (const seat of SEAT_ROLES) if (roster[seat] === userId) roles.push(seat);
	if (roster.smes.includes(userId)) roles.push('sme');
	return roles;
}
