/** The measures that matter: time to detect, mitigate and resolve, and recurring categories. */

export interface IncidentTimes {
	startedAt: number;
	detectedAt: number;
	mitigatedAt: number | null;
	resolvedAt: number | null;
}

export interface IncidentDurations {
	timeToDetectMs: number;
	timeToMitigateMs: number | null;
	timeToResolveMs: number | null;
}

export function durations(t: IncidentTimes): IncidentDurations {
	return {
		timeToDetectMs: Math.max(0, t.detectedAt - t.startedAt),
		timeToMitigateMs: t.mitigatedAt === null ? null : Math.max(0, t.mitigatedAt - t.detectedAt),
		timeToResolveMs: t.resolvedAt === null ? null : Math.max(0, t.resolvedAt - t.detectedAt)
	};
}

export function median(values: number[]): number | null {
	if (!values.length) return null;
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** "3h 12m", "45s": compact, for headers and tables. */
export function formatDuration(ms: number | null): string {
	if (ms === null || !Number.isFinite(ms)) return '—';
	const s = Math.max(0, Math.floor(ms / 1000));
	const d = Math.floor(s / 86400);
	const h = Math.floor((s % 86400) / 3600);
	const m = Math.floor((s % 3600) / 60);
	if (d) return `${d}d ${h}h`;
	if (h) return `${h}h ${m}m`;
	if (m) return `${m}m`;
	return `${s}s`;
}
