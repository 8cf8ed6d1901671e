/**
 * Table shapes for Kysely. Timestamps are epoch milliseconds (bigint in
 * PostgreSQL, parsed back to number; integer in SQLite). Booleans are 0/1.
 */
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export interface UsersTable {
	id: string;
	username: string;
	display_name: string;
	password_hash: string;
	role: 'admin' | 'responder' | 'viewer';
	created_at: number;
}

export interface SessionsTable {
	id: string;
	user_id: string;
	secret_hash: string;
	created_at: number;
	last_verified_at: number;
}

export interface IncidentsTable {
	id: string;
	title: string;
	severity: string;
	status: string;
	summary: string;
	detection_source: string;
	drill: number;
	started_at: number;
	detected_at: number;
	declared_at: number;
	mitigated_at: number | null;
	resolved_at: number | null;
	closed_at: number | null;
	created_by: string;
	commander_id: string | null;
	comms_lead_id: string | null;
	scribe_id: string | null;
	category: string | null;
	updated_at: number;
}

export interface IncidentSmesTable {
	incident_id: string;
	user_id: string;
	added_by: string;
	added_at: number;
}

/** Audit trail of every authoritative change: status, severity, roles, timestamp corrections. */
export interface IncidentEventsTable {
	id: Generated<number>;
	incident_id: string;
	actor_id: string;
	kind: string;
	data: string;
	at: number;
}

export interface HandoversTable {
	id: string;
	incident_id: string;
	from_user_id: string;
	to_user_id: string;
	brief: string;
	state: 'pending' | 'accepted' | 'cancelled';
	created_at: number;
	settled_at: number | null;
}

/** Append-only log of Yjs updates; every accepted update lands here before it is broadcast. */
export interface YjsUpdatesTable {
	seq: Generated<number>;
	incident_id: string;
	data: Uint8Array;
	created_at: number;
}

/** The compacted state of an incident document: everything up to and including `through_seq`. */
export interface YjsStatesTable {
	incident_id: string;
	state: Uint8Array;
	through_seq: number;
	updated_at: number;
}

export interface PostmortemVersionsTable {
	id: string;
	incident_id: string;
	label: string;
	kind: 'auto' | 'manual' | 'lifecycle' | 'restore';
	authors: string;
	snapshot: Uint8Array;
	/** The postmortem's text at the snapshot; NULL for versions taken before it was kept. */
	text: string | null;
	created_by: string;
	created_at: number;
}

/** An admin's override of a postmortem template; without a row the shipped default applies. */
export interface PostmortemTemplatesTable {
	name: string;
	body: string;
	updated_by: string | null;
	updated_at: number;
}

export interface ChecklistTemplatesTable {
	severity: string;
	items: string;
	updated_by: string | null;
	updated_at: number;
}

export interface ShareLinksTable {
	id: string;
	incident_id: string;
	token_hash: string;
	label: string;
	created_by: string;
	created_at: number;
	expires_at: number;
	revoked_at: number | null;
}

export interface Database {
	users: UsersTable;
	sessions: SessionsTable;
	incidents: IncidentsTable;
	incident_smes: IncidentSmesTable;
	incident_events: IncidentEventsTable;
	handovers: HandoversTable;
	yjs_updates: YjsUpdatesTable;
	yjs_states: YjsStatesTable;
	postmortem_versions: PostmortemVersionsTable;
	postmortem_templates: PostmortemTemplatesTable;
	checklist_templates: ChecklistTemplatesTable;
	share_links: ShareLinksTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type IncidentRow = Selectable<IncidentsTable>;
export type IncidentUpdate = Updateable<IncidentsTable>;
export type SessionRow = Selectable<SessionsTable>;
