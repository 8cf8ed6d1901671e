/** Percentiles and the printed table. */

export interface Latency {
	p50: number;
	p95: number;
	p99: number;
	max: number;
	count: number;
}

export function latency(samples: number[]): Latency {
	const s = Float64Array.from(samples).sort();
	const at = (q: number) =>
		s.length ? s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] : NaN;
	return {
		p50: at(0.5),
		p95: at(0.95),
		p99: at(0.99),
		max: s.length ? s[s.length - 1] : NaN,
		count: s.length
	};
}

export interface Row {
	figure: string;
	unit: string;
	warroom: number | null;
	reference: number | null;
	note?: string;
}

const fmt = (v: number | null) =>
	v === null || Number.isNaN(v)
		? '—'
		: Math.abs(v) >= 100
			? v.toFixed(0)
			: v.toFixed(v >= 10 ? 1 : 2);

export function ratio(row: Row): number | null {
	if (row.warroom === null || row.reference === null || row.reference === 0) return null;
	return row.warroom / row.reference;
}

/** A Markdown table, so the same text goes into docs/performance.md. */
export function table(rows: Row[]): string {
	const head = ['figure', 'unit', 'Warroom', 'reference', 'ratio', 'note'];
	const body = rows.map((r) => {
		const q = ratio(r);
		return [
			r.figure,
			r.unit,
			fmt(r.warroom),
			fmt(r.reference),
			q === null ? '—' : `${q.toFixed(2)}×`,
			r.note ?? ''
		];
	});
	const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
	const line = (cells: string[]) =>
		'| ' +
		cells
			.map((c, i) => (i >= 2 && i <= 4 ? c.padStart(widths[i]) : c.padEnd(widths[i])))
			.join(' | ') +
		' |';
	const sep =
		'| ' +
		widths.map((w, i) => (i >= 2 && i <= 4 ? '-'.repeat(w - 1) + ':' : '-'.repeat(w))).join(' | ') +
		' |';
	return [line(head), sep, ...body.map(line)].join('\n');
}
