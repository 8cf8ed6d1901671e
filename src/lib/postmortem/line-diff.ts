/**
 * A line diff (Myers' O(ND) algorithm) for comparing postmortem versions:
 * which lines were removed, added or kept, in reading order.
 */

export type DiffLine =
	| { kind: 'same'; text: string; oldLine: number; newLine: number }
	| { kind: 'removed'; text: string; oldLine: number }
	| { kind: 'added'; text: string; newLine: number };

export function splitLines(text: string): string[] {
	if (text === '') return [];
	const lines = text.split(/\r?\n/);
	// A trailing newline ends the last line; it does not start an empty one.
	if (lines[lines.length - 1] === '') lines.pop();
	return lines;
}

/** The line diff from `before` to `after`; line numbers are 1-based. */
export function diffLines(before: string, after: string): DiffLine[] {
	const a = splitLines(before);
	const b = splitLines(after);
	// Common head and tail cost nothing and keep the search small.
	let head = 0;
	while (head < a.length && head < b.length && a[head] === b[head]) head++;
	let tail = 0;
	while (
		tail < a.length - head &&
		tail < b.length - head &&
		a[a.length - 1 - tail] === b[b.length - 1 - tail]
	)
		tail++;
	const out: DiffLine[] = [];
	for (let i = 0; i < head; i++)
		out.push({ kind: 'same', text: a[i], oldLine: i + 1, newLine: i + 1 });
	const midA = a.slice(head, a.length - tail);
	const midB = b.slice(head, b.length - tail);
	for (const step of myers(midA, midB)) {
		if (step.kind === 'same')
			out.push({
				kind: 'same',
				text: midA[step.i],
				oldLine: head + step.i + 1,
				newLine: head + step.j + 1
			});
		else if (step.kind === 'removed')
			out.push({ kind: 'removed', text: midA[step.i], oldLine: head + step.i + 1 });
		else out.push({ kind: 'added', text: midB[step.j], newLine: head + step.j + 1 });
	}
	for (let k = tail; k > 0; k--) {
		const i = a.length - k;
		const j = b.length - k;
		out.push({ kind: 'same', text: a[i], oldLine: i + 1, newLine: j + 1 });
	}
	return out;
}

type Step =
	| { kind: 'same'; i: number; j: number }
	| { kind: 'removed'; i: number }
	| { kind: 'added'; j: number };

/** Shortest edit script between two line arrays (Myers 1986), removals before additions. */
function myers(a: string[], b: string[]): Step[] {
	const n = a.length;
	const m = b.length;
	if (n === 0) return b.map((_, j) => ({ kind: 'added', j }));
	if (m === 0) return a.map((_, i) => ({ kind: 'removed', i }));
	const max = n + m;
	const offset = max;
	let v = new Int32Array(2 * max + 2);
	const trace: Int32Array[] = [];
	let found = false;
	for (let d = 0; d <= max && !found; d++) {
		trace.push(v.slice());
		for (let k = -d; k <= d; k += 2) {
			let x: number;
			if (k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1])) x = v[offset + k + 1];
			else x = v[offset + k - 1] + 1;
			let y = x - k;
			while (x < n && y < m && a[x] === b[y]) {
				x++;
				y++;
			}
			v[offset + k] = x;
			if (x >= n && y >= m) {
				found = true;
				break;
			}
		}
	}
	v = new Int32Array(0);
	// Walk the trace backwards from (n, m) to (0, 0).
	const steps: Step[] = [];
	let x = n;
	let y = m;
	for (let d = trace.length - 1; d >= 0; d--) {
		const vd = trace[d];
		const k = x - y;
		let prevK: number;
		if (k === -d || (k !== d && vd[offset + k - 1] < vd[offset + k + 1])) prevK = k + 1;
		else prevK = k - 1;
		const prevX = d === 0 ? 0 : vd[offset + prevK];
		const prevY = d === 0 ? 0 : prevX - prevK;
		while (x > prevX && y > prevY) {
			x--;
			y--;
			steps.push({ kind: 'same', i: x, j: y });
		}
		if (d > 0) {
			if (x === prevX) steps.push({ kind: 'added', j: prevY });
			else steps.push({ kind: 'removed', i: prevX });
		}
		x = prevX;
		y = prevY;
	}
	return steps.reverse();
}

/** How many lines a diff adds and removes. */
export function diffStats(diff: DiffLine[]): { added: number; removed: number } {
	let added = 0;
	let removed = 0;
	for (const line of diff) {
		if (line.kind === 'added') added++;
		else if (line.kind === 'removed') removed++;
	}
	return { added, removed };
}
