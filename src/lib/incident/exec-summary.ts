/**
 * What an executive sees of an incident: the few facts that matter, computed
 * once on the server and shipped as plain JSON (the exec pages load no Yjs).
 * Time-dependent fields are absolute instants, so the browser's ticking clock
 * keeps durations and the overdue warning current between pushes.
 */
import type { ChecklistItem, TimelineEntry } from '../doc/incident-doc';
import type { IncidentView } from './incident-view';
import { STATUS_LABELS, isActive, type Status } from './lifecycle';
import { SEVERITY_LEVELS, severityRank, type Severity } from './severity';
import { nextUpdateDue } from './stakeholder-updates';

/** Entry kinds an executive cares about; pinned entries of any kind join them. */
export const KEY_TIMELINE_KINDS = ['status', 'severity', 'update'] as const;
/** The key timeline shows at most this many entries, newest first. */
export const KEY_TIMELINE_LIMIT = 50;

export interface LastUpdate {
	text: string;
	at: number;
	/** Display name of whoever sent it, when known. */
	by: string | null;
}

export interface KeyTimelineEntry {
	id: string;
	ts: number;
	kind: string;
	text: string;
	pinned: boolean;
	/** Display name of the author; null for the server's own entries. */
	author: string | null;
}

export interface ExecSummary {
	id: string;
	title: string;
	severity: Severity;
	severityName: string;
	status: Status;
	statusLabel: string;
	active: boolean;
	drill: boolean;
	impactSummary: string;
	commander: string | null;
	comms: string | null;
	impact: {
		startedAt: number;
		/** When impact stopped (mitigated, else resolved); null while it goes on. */
		endedAt: number | null;
	};
	mitigation: { done: number; total: number };
	lastUpdate: LastUpdate | null;
	nextUpdate: { dueAt: number | null; cadenceMinutes: number };
	keyTimeline: KeyTimelineEntry[];
	generatedAt: number;
}

export function isKeyEntry(entry: Pick<TimelineEntry, 'kind' | 'pinned'>): boolean {
	return entry.pinned === true || (KEY_TIMELINE_KINDS as readonly string[]).includes(entry.kind);
}

export function execSummary(
	incident: IncidentView,
	timeline: readonly TimelineEntry[],
	checklist: readonly ChecklistItem[],
	lastUpdate: LastUpdate | null,
	now: number,
	/** Display names by user id, for timeline authors. */
	names: Readonly<Record<string, string>> = {}
): ExecSummary {
	const schedule = nextUpdateDue(incident, lastUpdate?.at ?? null, now);
	const keyTimeline = timeline
		.filter(isKeyEntry)
		.slice(-KEY_TIMELINE_LIMIT)
		.reverse()
		.map((e) => ({
			id: e.id,
			ts: e.ts,
			kind: e.kind,
			text: e.text,
			pinned: e.pinned === true,
			author: e.author === 'system' ? null : (names[e.author] ?? null)
		}));
	return {
		id: incident.id,
		title: incident.title,
		severity: incident.severity,
		severityName: SEVERITY_LEVELS[incident.severity]?.name ?? incident.severity,
		status: incident.status,
		statusLabel: STATUS_LABELS[incident.status] ?? incident.status,
		active: isActive(incident.status),
		drill: incident.drill,
		impactSummary: incident.summary,
		commander: incident.roles.commander?.displayName ?? null,
		comms: incident.roles.comms?.displayName ?? null,
		impact: {
			startedAt: incident.startedAt,
			endedAt: incident.mitigatedAt ?? incident.resolvedAt ?? incident.closedAt
		},
		mitigation: {
			done: checklist.filter((i) => i.done).length,
			total: checklist.length
		},
		lastUpdate,
		nextUpdate: { dueAt: schedule.nextDueAt, cadenceMinutes: schedule.cadenceMinutes },
		keyTimeline,
		generatedAt: now
	};
}

/** How long customers have been (or were) affected, as of `now`. */
export function impactDurationMs(summary: Pick<ExecSummary, 'impact'>, now: number): number {
	return Math.max(0, (summary.impact.endedAt ?? now) - summary.impact.startedAt);
}

/** Milliseconds the next stakeholder update is late by (0 when on time or none is due). */
export function updateOverdueByMs(summary: Pick<ExecSummary, 'nextUpdate'>, now: number): number {
	const due = summary.nextUpdate.dueAt;
	return due === null ? 0 : Math.max(0, now - due);
}

/** "just now" under a minute, else "12m ago". */
export function formatAgo(ms: number, formatDuration: (ms: number) => string): string {
	return ms < 60_000 ? 'just now' : `${formatDuration(ms)} ago`;
}

/** Most severe first, then the longest-running. */
export function sortForBoard<T extends Pick<ExecSummary, 'severity' | 'impact'>>(
	summaries: readonly T[]
): T[] {
	return [...summaries].sort(
		(a, b) =>
			severityRank(a.severity) - severityRank(b.severity) || a.impact.startedAt - b.impact.startedAt
	);
}

/** A board entry leaves out the timeline: the board shows one line of each incident. */
export type BoardEntry = Omit<ExecSummary, 'keyTimeline'>;

export function boardEntry(summary: ExecSummary): BoardEntry {
	const { keyTimeline: _omit, ...rest } = summary;
	return rest;
}
