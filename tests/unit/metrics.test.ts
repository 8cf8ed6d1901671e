import { describe, expect, it } from 'vitest';
import { durations, formatDuration, median } from '../../src/lib/incident/metrics';

describe('incident metrics', () => {
	it('measures detect, mitigate and resolve from the right stamps', () => {
		expect(
			durations({ startedAt: 0, detectedAt: 60_000, mitigatedAt: 600_000, resolvedAt: 3_600_000 })
		).toEqual({
			timeToDetectMs: 60_000,
			timeToMitigateMs: 540_000,
			timeToResolveMs: 3_540_000
		});
	});

	it('leaves unreached milestones empty', () => {
		expect(durations({ startedAt: 0, detectedAt: 0, mitigatedAt: null, resolvedAt: null })).toEqual(
			{
				timeToDetectMs: 0,
				timeToMitigateMs: null,
				timeToResolveMs: null
			}
		);
	});

	it('takes the median of odd and even lists, and of none', () => {
		expect(median([3, 1, 2])).toBe(2);
		expect(median([4, 1, 3, 2])).toBe(2.5);
		expect(median([])).toBeNull();
	});

	it('formats durations compactly', () => {
		expect(formatDuration(45_000)).toBe('45s');
		expect(formatDuration(5 * 60_000)).toBe('5m');
		expect(formatDuration(3 * 3_600_000 + 12 * 60_000)).toBe('3h 12m');
		expect(formatDuration(26 * 3_600_000)).toBe('1d 2h');
		expect(formatDuration(null)).toBe('—');
	});
});
