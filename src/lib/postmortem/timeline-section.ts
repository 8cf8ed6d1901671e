/**
 * The postmortem's timeline section, generated from the live incident
 * timeline between two markers. Refreshing replaces only what is between the
 * markers, so nothing people wrote elsewhere is ever touched.
 */
import { SYSTEM_AUTHOR, type TimelineEntry } from '../doc/incident-doc';

export const TIMELINE_START = '<!-- timeline:start -->';
export const TIMELINE_END = '<!-- timeline:end -->';

function pad(n: number): string {
	return String(n).padStart(2, '0');
}

/** `2026-11-28 14:02 UTC`: one unambiguous zone for a document read across time zones. */
export function formatUtc(ms: number): string {
	const d = new Date(ms);
	return (
		`${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
		`${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`
	);
}

/** Keeps generated lines on one line and from being read as Markdown structure. */
function oneLine(text: string): string {
	return text.replace(/\s*\r?\n\s*/g, ' ').trim();
}

/**
 * Markdown list lines for the timeline, oldest first, one per entry. Entries
 * people wrote carry their name; entries the server wrote already name the actor.
 */
export function timelineLines(
	entries: TimelineEntry[],
	nameOf: (userId: string) => string | undefined = () => undefined
): string[] {
	return [...entries]
		.sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
		.filter((e) => oneLine(e.text) !== '')
		.map((e) => {
			const who = e.author === SYSTEM_AUTHOR ? undefined : nameOf(e.author);
			const text = oneLine(e.text);
			return `- **${formatUtc(e.ts)}** ${who ? `${who}: ${text}` : text}`;
		});
}

/** The whole section including its markers. */
export function timelineBlock(
	entries: TimelineEntry[],
	nameOf?: (userId: string) => string | undefined
): string {
	const lines = timelineLines(entries, nameOf);
	const body = lines.length ? lines.join('\n') : '_No timeline entries yet._';
	return `${TIMELINE_START}\n${body}\n${TIMELINE_END}`;
}

/** Where the markers are: the region strictly between them, or null if either is missing. */
export function findTimelineRegion(text: string): { from: number; to: number } | null {
	const start = text.indexOf(TIMELINE_START);
	if (start < 0) return null;
	const end = text.indexOf(TIMELINE_END, start + TIMELINE_START.length);
	if (end < 0) return null;
	return { from: start + TIMELINE_START.length, to: end };
}

/**
 * The text with the region between the markers replaced by a fresh timeline,
 * or null when the markers are missing (the caller inserts a block instead).
 */
export function refreshTimelineSection(
	text: string,
	entries: TimelineEntry[],
	nameOf?: (userId: string) => string | undefined
): string | null {
	const region = findTimelineRegion(text);
	if (!region) return null;
	const block = timelineBlock(entries, nameOf);
	const inner = block.slice(TIMELINE_START.length, block.length - TIMELINE_END.length);
	return text.slice(0, region.from) + inner + text.slice(region.to);
}

/** Fills `{{name}}` placeholders of the template; unknown ones stay as written. */
export function fillTemplate(template: string, values: Record<string, string>): string {
	return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) =>
		Object.prototype.hasOwnProperty.call(values, key) ? values[key] : whole
	);
}
