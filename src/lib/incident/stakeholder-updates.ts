/** Stakeholder update cadence: when the last update went out and when the next is due. */
import { isActive } from './lifecycle';
import { SEVERITY_LEVELS, isSeverity } from './severity';

export interface UpdateSchedule {
	lastAt: number | null;
	/** null when no further updates are due (the incident is no longer active). */
	nextDueAt: number | null;
	overdue: boolean;
	cadenceMinutes: number;
}

/**
 * The first update is due one cadence after declaration; each later one a
 * cadence after the previous. Once resolved, nothing more is due.
 */
export function nextUpdateDue(
	incident: { severity: string; status: string; declaredAt: number },
	lastUpdateAt: number | null,
	now: number
): UpdateSchedule {
	const cadenceMinutes = isSeverity(incident.severity)
		? SEVERITY_LEVELS[incident.severity].updateCadenceMinutes
		: 60;
	if (!isActive(incident.status))
		return { lastAt: lastUpdateAt, nextDueAt: null, overdue: false, cadenceMinutes };
	const nextDueAt = (lastUpdateAt ?? incident.declaredAt) + cadenceMinutes * 60_000;
	return { lastAt: lastUpdateAt, nextDueAt, overdue: now > nextDueAt, cadenceMinutes };
}
