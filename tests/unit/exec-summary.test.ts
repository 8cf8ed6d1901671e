import { describe, expect, it } from 'vitest';
import type { ChecklistItem, TimelineEntry } from '../../src/lib/doc/incident-doc';
import {
	boardEntry,
	execSummary,
	formatAgo,
	impactDurationMs,
	KEY_TIMELINE_LIMIT,
	sortForBoard,
	updateOverdueByMs
} from '../../src/lib/incident/exec-summary';
import type { IncidentView } from '../../src/lib/incident/incident-view';

const MIN = 60_000;
const alice = { id: 'u-alice', username: 'alice', displayName: 'Alice' };
const bob = { id: 'u-bob', username: 'bob', displayName: 'Bob' };

function incident(overrides: Partial<IncidentView> = {}): IncidentView {
	return {
		id: 'inc1',
		title: 'Checkout 500s',
		severity: 'SEV1',
		status: 'investigating',
		summary: 'Card payments fail for EU customers.',
		detectionSource: 'alert',
		drill: false,
		category: null,
		startedAt: 0,
		detectedAt: 2 * MIN,
		declaredAt: 5 * MIN,
		mitigatedAt: null,
		resolvedAt: null,
		closedAt: null,
		updatedAt: 5 * MIN,
		roles: { commander: alice, comms: bob, scribe: null, smes: [] },
		pendingHandover: null,
		...overrides
	};
}

const entry = (id: string, ts: number, kind: string, extra: Partial<TimelineEntry> = {}) =>
	({ id, ts, kind, text: `${kind} ${id}`, author: 'system', ...extra }) as TimelineEntry;

const items = (done: number, total: number): ChecklistItem[] =>
	Array.from({ length: total }, (_, i) => ({ id: `c${i}`, text: `step ${i}`, done: i < done }));

describe('execSummary', () => {
	it('carries the facts an executive reads: severity, status, commander, summary', () => {
		const s = execSummary(incident(), [], [], null, 10 * MIN);
		expect(s).toMatchObject({
			id: 'inc1',
			title: 'Checkout 500s',
			severity: 'SEV1',
			severityName: 'Critical',
			status: 'investigating',
			statusLabel: 'Investigating',
			active: true,
			impactSummary: 'Card payments fail for EU customers.',
			commander: 'Alice',
			comms: 'Bob',
			generatedAt: 10 * MIN
		});
	});

	it('says "Unassigned" by giving null when nobody commands', () => {
		const s = execSummary(
			incident({ roles: { commander: null, comms: null, scribe: null, smes: [] } }),
			[],
			[],
			null,
			0
		);
		expect(s.commander).toBeNull();
		expect(s.comms).toBeNull();
	});

	it('counts mitigation progress from the checklist', () => {
		expect(execSummary(incident(), [], items(3, 7), null, 0).mitigation).toEqual({
			done: 3,
			total: 7
		});
		expect(execSummary(incident(), [], [], null, 0).mitigation).toEqual({ done: 0, total: 0 });
	});

	it('keeps status, severity and update entries and pinned entries, newest first', () => {
		const timeline = [
			entry('a', 1, 'status'),
			entry('b', 2, 'note'),
			entry('c', 3, 'note', { pinned: true, author: 'u-bob' }),
			entry('d', 4, 'checklist'),
			entry('e', 5, 'severity'),
			entry('f', 6, 'update', { author: 'u-alice' }),
			entry('g', 7, 'role')
		];
		const s = execSummary(incident(), timeline, [], null, 0, {
			'u-alice': 'Alice',
			'u-bob': 'Bob'
		});
		expect(s.keyTimeline.map((e) => e.id)).toEqual(['f', 'e', 'c', 'a']);
		expect(s.keyTimeline[0]).toMatchObject({ kind: 'update', author: 'Alice', pinned: false });
		expect(s.keyTimeline[2]).toMatchObject({ kind: 'note', author: 'Bob', pinned: true });
		expect(s.keyTimeline[3].author).toBeNull();
	});

	it('caps the key timeline at the most recent entries', () => {
		const timeline = Array.from({ length: KEY_TIMELINE_LIMIT + 10 }, (_, i) =>
			entry(`s${i}`, i, 'status')
		);
		const s = execSummary(incident(), timeline, [], null, 0);
		expect(s.keyTimeline).toHaveLength(KEY_TIMELINE_LIMIT);
		expect(s.keyTimeline[0].id).toBe(`s${KEY_TIMELINE_LIMIT + 9}`);
	});

	it('schedules the next update one cadence after the last one', () => {
		const last = { text: 'We are on it', at: 20 * MIN, by: 'Bob' };
		const s = execSummary(incident(), [], [], last, 25 * MIN);
		expect(s.lastUpdate).toEqual(last);
		expect(s.nextUpdate).toEqual({ dueAt: 50 * MIN, cadenceMinutes: 30 });
		expect(updateOverdueByMs(s, 45 * MIN)).toBe(0);
		expect(updateOverdueByMs(s, 62 * MIN)).toBe(12 * MIN);
	});

	it('counts the first update from declaration when none went out', () => {
		const s = execSummary(incident({ severity: 'SEV3' }), [], [], null, 0);
		expect(s.nextUpdate).toEqual({ dueAt: 5 * MIN + 120 * MIN, cadenceMinutes: 120 });
	});

	it('needs no further update once resolved', () => {
		const s = execSummary(
			incident({ status: 'resolved', mitigatedAt: 30 * MIN, resolvedAt: 40 * MIN }),
			[],
			[],
			null,
			999 * MIN
		);
		expect(s.active).toBe(false);
		expect(s.nextUpdate.dueAt).toBeNull();
		expect(updateOverdueByMs(s, 999 * MIN)).toBe(0);
	});

	it('measures impact until mitigation, or until now while it goes on', () => {
		const live = execSummary(incident({ startedAt: 10 * MIN }), [], [], null, 0);
		expect(live.impact).toEqual({ startedAt: 10 * MIN, endedAt: null });
		expect(impactDurationMs(live, 70 * MIN)).toBe(60 * MIN);
		const mitigated = execSummary(
			incident({ status: 'mitigated', mitigatedAt: 45 * MIN }),
			[],
			[],
			null,
			0
		);
		expect(impactDurationMs(mitigated, 999 * MIN)).toBe(45 * MIN);
		expect(impactDurationMs({ impact: { startedAt: 10, endedAt: null } }, 5)).toBe(0);
	});

	it('is plain JSON: it survives a round trip unchanged', () => {
		const s = execSummary(incident(), [entry('a', 1, 'status')], items(1, 2), null, 3);
		expect(JSON.parse(JSON.stringify(s))).toEqual(s);
	});
});

describe('the board', () => {
	it('sorts most severe first, then the longest-running', () => {
		const mk = (id: string, severity: IncidentView['severity'], startedAt: number) =>
			boardEntry(execSummary(incident({ id, severity, startedAt }), [], [], null, 0));
		const sorted = sortForBoard([mk('a', 'SEV3', 0), mk('b', 'SEV1', 5), mk('c', 'SEV1', 1)]);
		expect(sorted.map((s) => s.id)).toEqual(['c', 'b', 'a']);
	});

	it('leaves the timeline out of board entries', () => {
		const e = boardEntry(execSummary(incident(), [entry('a', 1, 'status')], [], null, 0));
		expect(e).not.toHaveProperty('keyTimeline');
		expect(e.title).toBe('Checkout 500s');
	});
});

describe('formatAgo', () => {
	it('says "just now" under a minute', () => {
		const fmt = (ms: number) => `${Math.round(ms / 60_000)}m`;
		expect(formatAgo(59_000, fmt)).toBe('just now');
		expect(formatAgo(12 * 60_000, fmt)).toBe('12m ago');
	});
});
