import { describe, expect, it } from 'vitest';
import {
	checkTransition,
	isActive,
	stampsAfterTransition,
	STATUSES
} from '../../src/lib/incident/lifecycle';

describe('lifecycle transitions', () => {
	it('refuses a move to the same status', () => {
		for (const s of STATUSES) expect(checkTransition(s, s).ok).toBe(false);
	});

	it('allows every other move and tells forward from backward', () => {
		expect(checkTransition('investigating', 'identified')).toEqual({
			ok: true,
			direction: 'forward'
		});
		expect(checkTransition('investigating', 'resolved')).toEqual({
			ok: true,
			direction: 'forward'
		});
		expect(checkTransition('mitigated', 'investigating')).toEqual({
			ok: true,
			direction: 'backward'
		});
		expect(checkTransition('closed', 'postmortem')).toEqual({ ok: true, direction: 'backward' });
	});

	it('counts only investigating, identified and mitigated as active', () => {
		expect(STATUSES.filter(isActive)).toEqual(['investigating', 'identified', 'mitigated']);
	});
});

describe('lifecycle stamps', () => {
	const none = { mitigatedAt: null, resolvedAt: null, closedAt: null };

	it('stamps mitigation when mitigated is reached', () => {
		expect(stampsAfterTransition(none, 'mitigated', 100)).toEqual({
			mitigatedAt: 100,
			resolvedAt: null,
			closedAt: null
		});
	});

	it('stamps every milestone skipped over', () => {
		expect(stampsAfterTransition(none, 'resolved', 200)).toEqual({
			mitigatedAt: 200,
			resolvedAt: 200,
			closedAt: null
		});
	});

	it('keeps the first stamp when moving forward again', () => {
		const s = { mitigatedAt: 100, resolvedAt: null, closedAt: null };
		expect(stampsAfterTransition(s, 'resolved', 300)).toEqual({
			mitigatedAt: 100,
			resolvedAt: 300,
			closedAt: null
		});
	});

	it('clears a milestone when a mitigation did not hold', () => {
		const s = { mitigatedAt: 100, resolvedAt: null, closedAt: null };
		expect(stampsAfterTransition(s, 'investigating', 400)).toEqual(none);
	});

	it('re-stamps mitigation with the new time after a relapse', () => {
		const relapsed = stampsAfterTransition(
			{ mitigatedAt: 100, resolvedAt: null, closedAt: null },
			'identified',
			400
		);
		expect(stampsAfterTransition(relapsed, 'mitigated', 500).mitigatedAt).toBe(500);
	});
});
