/**
 * `<input type="datetime-local">` speaks wall-clock time with no zone. These
 * read and write it in the zone of whoever runs them: the browser when
 * JavaScript runs, the server's zone as the no-JavaScript fallback.
 */

const pad = (n: number) => String(n).padStart(2, '0');

/** "2025-03-05T14:07" for an epoch ms, in this runtime's local zone. */
export function toDateTimeLocal(ms: number): string {
	const d = new Date(ms);
	return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Epoch ms for a datetime-local value read as local time; null if it is not one. */
export function parseDateTimeLocal(value: string): number | null {
	const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
	if (!m) return null;
	const [, y, mo, d, h, mi, s] = m.map(Number);
	const date = new Date(y, mo - 1, d, h, mi, s || 0);
	// Reject rollovers such as 2025-02-31.
	if (date.getMonth() !== mo - 1 || date.getDate() !== d) return null;
	return date.getTime();
}
