/**
 * Turns what a responder types into a timeline entry's time and text:
 * "at 14:02 we saw errors" is back-dated to 14:02 today (or yesterday, if
 * 14:02 today is still in the future).
 */

const LEADING_TIME = /^\s*at\s+([01]?\d|2[0-3])[:.h]([0-5]\d)\b[\s,:-]*/i;

/** Epoch ms of the last time the local clock read hh:mm, at or before `now`. */
export function lastOccurrence(hours: number, minutes: number, now: number): number {
	const d = new Date(now);
	d.setHours(hours, minutes, 0, 0);
	if (d.getTime() > now) d.setDate(d.getDate() - 1);
	return d.getTime();
}

export function parseNoteInput(
	raw: string,
	now: number
): { ts: number; text: string; backdated: boolean } {
	const match = LEADING_TIME.exec(raw);
	if (!match) return { ts: now, text: raw.trim(), backdated: false };
	const text = raw.slice(match[0].length).trim();
	if (!text) return { ts: now, text: raw.trim(), backdated: false };
	return { ts: lastOccurrence(Number(match[1]), Number(match[2]), now), text, backdated: true };
}
