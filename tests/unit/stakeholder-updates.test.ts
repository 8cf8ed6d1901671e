import { describe, expect, it } from 'vitest';
import { nextUpdateDue } from '../../src/lib/incident/stakeholder-updates';

const MIN = 60_000;

describe('next stakeholder update', () => {
	it('is due one cadence after declaration when none went out yet (SEV1: 30 min)', () => {
		const s = nextUpdateDue(
			{ severity: 'SEV1', status: 'investigating', declaredAt: 0 },
			null,
			10 * MIN
		);
		expect(s).toEqual({ lastAt: null, nextDueAt: 30 * MIN, overdue: false, cadenceMinutes: 30 });
	});

	it('counts from the last update and flags overdue', () => {
		const s = nextUpdateDue(
			{ severity: 'SEV2', status: 'identified', declaredAt: 0 },
			10 * MIN,
			71 * MIN
		);
		expect(s.nextDueAt).toBe(70 * MIN);
		expect(s.overdue).toBe(true);
	});

	it('stops being due once the incident is resolved', () => {
		const s = nextUpdateDue(
			{ severity: 'SEV1', status: 'resolved', declaredAt: 0 },
			null,
			999 * MIN
		);
		expect(s.nextDueAt).toBeNull();
		expect(s.overdue).toBe(false);
	});
});
