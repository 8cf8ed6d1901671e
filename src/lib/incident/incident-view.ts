/** The incident as the server shows it to clients: row, roster, pending handover. */
import type { Status } from './lifecycle';
import type { DetectionSource, Severity } from './severity';

export interface PersonRef {
	id: string;
	username: string;
	displayName: string;
}

export interface PendingHandover {
	id: string;
	from: PersonRef;
	to: PersonRef;
	brief: string;
	createdAt: number;
}

export interface IncidentView {
	id: string;
	title: string;
	severity: Severity;
	status: Status;
	summary: string;
	detectionSource: DetectionSource;
	drill: boolean;
	category: string | null;
	startedAt: number;
	detectedAt: number;
	declaredAt: number;
	mitigatedAt: number | null;
	resolvedAt: number | null;
	closedAt: number | null;
	updatedAt: number;
	roles: {
		commander: PersonRef | null;
		comms: PersonRef | null;
		scribe: PersonRef | null;
		smes: PersonRef[];
	};
	pendingHandover: PendingHandover | null;
}

/** The roster (user ids per role) of an incident as clients see it, for the permission rules. */
export function rosterOfView(incident: Pick<IncidentView, 'roles'>): {
	commander: string | null;
	comms: string | null;
	scribe: string | null;
	smes: string[];
} {
	return {
		commander: incident.roles.commander?.id ?? null,
		comms: incident.roles.comms?.id ?? null,
		scribe: incident.roles.scribe?.id ?? null,
		smes: incident.roles.smes.map((s) => s.id)
	};
}
