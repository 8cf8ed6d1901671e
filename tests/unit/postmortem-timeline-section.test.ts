import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../src/lib/doc/incident-doc';
import {
	fillTemplate,
	findTimelineRegion,
	formatUtc,
	refreshTimelineSection,
	TIMELINE_END,
	TIMELINE_START,
	timelineBlock,
	timelineLines
} from '../../src/lib/postmortem/timeline-section';

const T0 = Date.UTC(2026, 10, 28, 14, 2);
const entries: TimelineEntry[] = [
	{ id: 'b', ts: T0 + 60_000, kind: 'note', text: 'Rolled back\nthe deploy', author: 'u1' },
	{ id: 'a', ts: T0, kind: 'status', text: 'Alice set status to Identified', author: 'system' },
	{ id: 'c', ts: T0 + 120_000, kind: 'note', text: '   ', author: 'u2' }
];
const names: Record<string, string> = { u1: 'Alice' };

describe('timeline section', () => {
	it('formats times in UTC', () => {
		expect(formatUtc(T0)).toBe('2026-11-28 14:02 UTC');
	});

	it('lists entries oldest first, naming people but not the system, one line each', () => {
		expect(timelineLines(entries, (id) => names[id])).toEqual([
			'- **2026-11-28 14:02 UTC** Alice set status to Identified',
			'- **2026-11-28 14:03 UTC** Alice: Rolled back the deploy'
		]);
	});

	it('wraps the lines in markers, with a placeholder when empty', () => {
		expect(timelineBlock([])).toBe(
			`${TIMELINE_START}\n_No timeline entries yet._\n${TIMELINE_END}`
		);
	});

	it('replaces only what is between the markers', () => {
		const text = `# PM\nBefore\n${TIMELINE_START}\nstale line\n${TIMELINE_END}\nAfter, written by people`;
		const refreshed = refreshTimelineSection(text, entries, (id) => names[id])!;
		expect(
			refreshed.startsWith(`# PM\nBefore\n${TIMELINE_START}\n- **2026-11-28 14:02 UTC**`)
		).toBe(true);
		expect(refreshed.endsWith(`${TIMELINE_END}\nAfter, written by people`)).toBe(true);
		expect(refreshed).not.toContain('stale line');
		// Refreshing again changes nothing.
		expect(refreshTimelineSection(refreshed, entries, (id) => names[id])).toBe(refreshed);
	});

	it('returns null when a marker is missing', () => {
		expect(refreshTimelineSection('no markers', entries)).toBeNull();
		expect(refreshTimelineSection(`${TIMELINE_END} then ${TIMELINE_START}`, entries)).toBeNull();
		expect(findTimelineRegion(`${TIMELINE_START}x${TIMELINE_END}`)).toEqual({
			from: TIMELINE_START.length,
			to: TIMELINE_START.length + 1
		});
	});

	it('fills template placeholders and leaves unknown ones', () => {
		expect(
			fillTemplate('# {{title}} ({{ severity }}) {{other}}', { title: 'DB', severity: 'SEV2' })
		).toBe('# DB (SEV2) {{other}}');
	});
});
