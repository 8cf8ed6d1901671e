import { describe, expect, it } from 'vitest';
import { diffLines, diffStats, splitLines } from '../../src/lib/postmortem/line-diff';

/** Rebuilds both sides from a diff, to check it against its inputs. */
function sides(before: string, after: string) {
	const diff = diffLines(before, after);
	return {
		diff,
		old: diff.filter((l) => l.kind !== 'added').map((l) => l.text),
		new: diff.filter((l) => l.kind !== 'removed').map((l) => l.text)
	};
}

describe('splitLines', () => {
	it('treats a trailing newline as the end of the last line', () => {
		expect(splitLines('a\nb\n')).toEqual(['a', 'b']);
		expect(splitLines('')).toEqual([]);
		expect(splitLines('a\r\nb')).toEqual(['a', 'b']);
	});
});

describe('diffLines', () => {
	it('marks nothing when the texts are equal', () => {
		const diff = diffLines('a\nb', 'a\nb');
		expect(diff.every((l) => l.kind === 'same')).toBe(true);
		expect(diffStats(diff)).toEqual({ added: 0, removed: 0 });
	});

	it('finds a changed line between unchanged ones, with line numbers', () => {
		const diff = diffLines(
			'## Impact\nAll users\n## Detection',
			'## Impact\nEU users\n## Detection'
		);
		expect(diff).toEqual([
			{ kind: 'same', text: '## Impact', oldLine: 1, newLine: 1 },
			{ kind: 'removed', text: 'All users', oldLine: 2 },
			{ kind: 'added', text: 'EU users', newLine: 2 },
			{ kind: 'same', text: '## Detection', oldLine: 3, newLine: 3 }
		]);
	});

	it('handles additions and removals at the ends', () => {
		expect(diffLines('', 'a\nb').map((l) => l.kind)).toEqual(['added', 'added']);
		expect(diffLines('a\nb', '').map((l) => l.kind)).toEqual(['removed', 'removed']);
		expect(diffLines('b', 'a\nb').map((l) => l.kind)).toEqual(['added', 'same']);
	});

	it('is a shortest edit: a moved line costs one removal and one addition', () => {
		const diff = diffLines('a\nb\nc\nd', 'b\nc\nd\na');
		expect(diffStats(diff)).toEqual({ added: 1, removed: 1 });
	});

	it('always reproduces both sides on random inputs', () => {
		let seed = 42;
		const rand = () => (seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32;
		const lines = ['a', 'b', 'c', 'd', ''];
		const text = () =>
			Array.from({ length: Math.floor(rand() * 12) }, () => lines[Math.floor(rand() * 5)]).join(
				'\n'
			);
		for (let i = 0; i < 300; i++) {
			const a = text();
			const b = text();
			const s = sides(a, b);
			expect(s.old).toEqual(splitLines(a));
			expect(s.new).toEqual(splitLines(b));
		}
	});
});
