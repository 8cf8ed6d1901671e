import { describe, expect, it } from 'vitest';
import { applySplice, minimalEdit } from '../../src/lib/postmortem/minimal-edit';

describe('minimalEdit', () => {
	it('is null for equal texts', () => {
		expect(minimalEdit('same', 'same')).toBeNull();
	});

	it('keeps the common prefix and suffix and replaces only the middle', () => {
		expect(minimalEdit('The cache was cold.', 'The cache was warm.')).toEqual({
			index: 14,
			remove: 4,
			insert: 'warm'
		});
	});

	it('handles pure insertions and deletions', () => {
		expect(minimalEdit('ac', 'abc')).toEqual({ index: 1, remove: 0, insert: 'b' });
		expect(minimalEdit('abc', 'ac')).toEqual({ index: 1, remove: 1, insert: '' });
		expect(minimalEdit('', 'new')).toEqual({ index: 0, remove: 0, insert: 'new' });
		expect(minimalEdit('old', '')).toEqual({ index: 0, remove: 3, insert: '' });
	});

	it('does not let prefix and suffix overlap on repeated text', () => {
		const splice = minimalEdit('aaa', 'aaaa');
		expect(splice).toEqual({ index: 3, remove: 0, insert: 'a' });
		expect(applySplice('aaa', splice)).toBe('aaaa');
	});

	it('never splits a surrogate pair', () => {
		// 🔥 and 🧯 share their high surrogate.
		const from = 'x🔥y';
		const to = 'x🧯y';
		const splice = minimalEdit(from, to)!;
		expect(splice.index).toBe(1);
		expect(splice.remove).toBe(2);
		expect(splice.insert).toBe('🧯');
		expect(applySplice(from, splice)).toBe(to);
	});

	it('round-trips random edits', () => {
		let seed = 7;
		const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) % 1000) / 1000;
		const alphabet = 'ab \n#';
		const word = (n: number) =>
			Array.from({ length: n }, () => alphabet[Math.floor(rand() * alphabet.length)]).join('');
		for (let i = 0; i < 300; i++) {
			const a = word(Math.floor(rand() * 20));
			const b = word(Math.floor(rand() * 20));
			expect(applySplice(a, minimalEdit(a, b))).toBe(b);
		}
	});
});
