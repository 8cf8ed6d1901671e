/**
 * The incident lifecycle: investigating → identified → mitigated → resolved
 * → postmortem → closed. Moving backwards (a mitigation that did not hold)
 * is allowed and recorded; the stamps say when each milestone was first reached.
 */

export const STATUSES = [
	'investigating',
	'identified',
	'mitigated',
	'resolved',
	'postmortem',
	'closed'
] as const;
export type Status = (typeof STATUSES)[number];

export const STATUS_LABELS: Record<Status, string> = {
	investigating: 'Investigating',
	identified: 'Identified',
	mitigated: 'Mitigated',
	resolved: 'Resolved',
	postmortem: 'Postmortem',
	closed: 'Closed'
};

/** Statuses in which the incident is still live: responders are working it. */
export const ACTIVE_STATUSES: readonly Status[] = ['investigating', 'identified', 'mitigated'];

export function isStatus(value: unknown): value is Status {
	return typeof value === 'string' && (STATUSES as readonly string[]).includes(value);
}

export function isActive(status: string): boolean {
	return (ACTIVE_STATUSES as readonly string[]).includes(status);
}

export function statusIndex(status: Status): number {
	return STATUSES.indexOf(status);
}

export type TransitionCheck =
	{ ok: true; direction: 'forward' | 'backward' } | { ok: false; reason: string };

/**
 * Any move is allowed except to the same status and out of `closed` (reopen by
 * going back is fine, but closed→closed is a no-op). Skipping ahead is
 * allowed: a short incident may go straight from investigating to resolved.
 */
export function checkTransition(from: Status, to: Status): TransitionCheck {
	if (from === to) return { ok: false, reason: `The incident is already ${STATUS_LABELS[to]}.` };
	return { ok: true, direction: statusIndex(to) > statusIndex(from) ? 'forward' : 'backward' };
}

export interface LifecycleStamps {
	mitigatedAt: number | null;
	resolvedAt: number | null;
	closedAt: number | null;
}

/**
 * Stamps after moving to `to` at `now`. Reaching a milestone (or skipping past
 * it) stamps it if it is not yet stamped; moving back before a milestone clears
 * it, because the milestone was not in fact reached (the mitigation did not hold).
 */
export function stampsAfterTransition(
	stamps: LifecycleStamps,
	to: Status,
	now: number
): LifecycleStamps {
	const reached = (s: Status) => statusIndex(to) >= statusIndex(s);
	const stamp = (current: number | null, milestone: Status) =>
		reached(milestone) ? (current ?? now) : null;
	return {
		mitigatedAt: stamp(stamps.mitigatedAt, 'mitigated'),
		resolvedAt: stamp(stamps.resolvedAt, 'resolved'),
		closedAt: stamp(stamps.closedAt, 'closed')
	};
}
