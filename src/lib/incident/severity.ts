/** Written severity thresholds: what makes an incident a SEV1..SEV4, and how often stakeholders hear. */

export const SEVERITIES = ['SEV1', 'SEV2', 'SEV3', 'SEV4'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface SeverityLevel {
	id: Severity;
	name: string;
	threshold: string;
	/** Minutes between stakeholder updates while the incident is open. */
	updateCadenceMinutes: number;
}

export const SEVERITY_LEVELS: Record<Severity, SeverityLevel> = {
	SEV1: {
		id: 'SEV1',
		name: 'Critical',
		threshold:
			'Customer-facing outage or data loss for many customers, or a security breach in progress.',
		updateCadenceMinutes: 30
	},
	SEV2: {
		id: 'SEV2',
		name: 'Major',
		threshold:
			'A core feature is broken or badly degraded for a significant share of customers; no workaround.',
		updateCadenceMinutes: 60
	},
	SEV3: {
		id: 'SEV3',
		name: 'Minor',
		threshold:
			'Partial degradation or a minor feature down; a workaround exists or few are affected.',
		updateCadenceMinutes: 120
	},
	SEV4: {
		id: 'SEV4',
		name: 'Low',
		threshold:
			'No customer impact yet: internal tooling, a risk that needs attention, a near miss.',
		updateCadenceMinutes: 240
	}
};

export function isSeverity(value: unknown): value is Severity {
	return typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value);
}

/** SEV1 sorts first. */
export function severityRank(severity: string): number {
	const i = (SEVERITIES as readonly string[]).indexOf(severity);
	return i < 0 ? SEVERITIES.length : i;
}

export const DETECTION_SOURCES = ['alert', 'internal', 'customer'] as const;
export type DetectionSource = (typeof DETECTION_SOURCES)[number];
export const DETECTION_SOURCE_LABELS: Record<DetectionSource, string> = {
	alert: 'Alert / monitoring',
	internal: 'Internal report',
	customer: 'Customer report'
};
