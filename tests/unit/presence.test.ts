import { describe, expect, it } from 'vitest';
import { colorFor, peopleHere } from '../../src/lib/realtime/presence';

describe('presence', () => {
	it('gives a person the same colour every time', () => {
		expect(colorFor('user-1')).toBe(colorFor('user-1'));
		expect(colorFor('user-1')).toMatch(/^#[0-9a-f]{6}$/);
	});

	it('merges tabs of one person, idle only when all tabs are idle, and skips junk states', () => {
		const people = peopleHere([
			{ user: { id: 'b', name: 'Bea', color: '#000000' }, idle: true },
			{ user: { id: 'a', name: 'Al', color: '#111111' }, idle: true },
			{ user: { id: 'a', name: 'Al', color: '#111111' }, idle: false },
			{ cursor: 1 },
			null
		]);
		expect(people).toEqual([
			{ id: 'a', name: 'Al', color: '#111111', idle: false, tabs: 2 },
			{ id: 'b', name: 'Bea', color: '#000000', idle: true, tabs: 1 }
		]);
	});
});
