import { describe, expect, it } from 'vitest';
import { BLAMELESS_PHRASES, findBlamelessHints } from '../../src/lib/postmortem/blameless-phrases';

const matched = (text: string, names: string[] = []) =>
	findBlamelessHints(text, names).map((h) => h.text);

describe('findBlamelessHints', () => {
	it.each([
		['The outage was human error.', 'human error'],
		['A careless config push.', 'careless'],
		['They should have known the flag was live.', 'should have known'],
		['Ops failed to check the dashboard.', 'failed to'],
		['It was the fault of the deployer.', 'fault of'],
		['We will not blame anyone.', 'blame'],
		['A negligent rollout.', 'negligent'],
		["He didn't bother to test.", "didn't bother"]
	])('flags %j', (text, phrase) => {
		expect(matched(text)).toEqual([phrase]);
	});

	it('is case-insensitive and reports exact offsets', () => {
		const text = 'Root cause: Human Error.';
		const [hint] = findBlamelessHints(text);
		expect(text.slice(hint.from, hint.to)).toBe('Human Error');
		expect(hint.suggestion).toMatch(/system/);
	});

	it('matches whole words only', () => {
		expect(matched('The blameless format; a failed tolerance test.')).toEqual([]);
	});

	it('flags a person named as the cause', () => {
		const names = ['Alice', 'Bob Stone'];
		expect(matched('Alice caused the outage.', names)).toEqual(['Alice caused']);
		expect(matched('It broke because Bob Stone pushed.', names)).toEqual(['because Bob Stone']);
		expect(matched("It was Alice's mistake.", names)).toEqual(["Alice's mistake"]);
		// Naming someone who helped is fine.
		expect(matched('Alice rolled back the deploy.', names)).toEqual([]);
	});

	it('returns hints in order without overlaps', () => {
		const hints = findBlamelessHints('Human error: he failed to check, careless.');
		expect(hints.map((h) => h.text)).toEqual(['Human error', 'failed to', 'careless']);
		for (let i = 1; i < hints.length; i++)
			expect(hints[i].from).toBeGreaterThanOrEqual(hints[i - 1].to);
	});

	it('takes an extended phrase list as data', () => {
		const extra = [
			...BLAMELESS_PHRASES,
			{
				pattern: /\brookie mistake\b/gi,
				why: 'judgement',
				suggestion: 'What onboarding was missing?'
			}
		];
		expect(findBlamelessHints('A rookie mistake.', [], extra).map((h) => h.text)).toEqual([
			'rookie mistake'
		]);
	});

	it('finds nothing in system-focused writing', () => {
		expect(
			matched('The deploy tool allowed a config without validation to reach production.')
		).toEqual([]);
	});
});
