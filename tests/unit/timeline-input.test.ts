import { describe, expect, it } from 'vitest';
import { lastOccurrence, parseNoteInput } from '../../src/lib/incident/timeline-input';

const at = (h: number, m: number, day = 15) => new Date(2026, 10, day, h, m, 0, 0).getTime();

describe('timeline input', () => {
	it('posts plain text at now', () => {
		expect(parseNoteInput('  disk full on db-3 ', at(15, 0))).toEqual({
			ts: at(15, 0),
			text: 'disk full on db-3',
			backdated: false
		});
	});

	it('back-dates "at 14:02 …" to today', () => {
		expect(parseNoteInput('at 14:02 we saw 500s', at(15, 0))).toEqual({
			ts: at(14, 2),
			text: 'we saw 500s',
			backdated: true
		});
	});

	it('takes yesterday when the time is later than now', () => {
		expect(parseNoteInput('At 23.50: first alert', at(0, 10, 16))).toEqual({
			ts: at(23, 50, 15),
			text: 'first alert',
			backdated: true
		});
	});

	it('leaves text alone when only a time was typed or the time is not valid', () => {
		expect(parseNoteInput('at 14:02', at(15, 0)).backdated).toBe(false);
		expect(parseNoteInput('at 25:99 nothing', at(15, 0)).backdated).toBe(false);
	});

	it('finds the last occurrence of a clock time', () => {
		expect(lastOccurrence(9, 30, at(10, 0))).toBe(at(9, 30));
		expect(lastOccurrence(10, 0, at(10, 0))).toBe(at(10, 0));
	});
});
