/** Text convergence: clients insert into the postmortem at once; time until every copy is identical. */
import { postmortemOf } from '../src/lib/doc/incident-doc';
import { sleep, until, type BenchClient } from './clients';
import { latency, type Latency } from './stats';

export async function runConvergence(
	clients: BenchClient[],
	{ rounds = 10, insertsPerClient = 20, seed = 1 } = {}
): Promise<Latency & { failed: number }> {
	let state = seed;
	const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
	const times: number[] = [];
	let failed = 0;
	const identical = () => {
		const first = postmortemOf(clients[0].doc).toString();
		return clients.every((c) => postmortemOf(c.doc).toString() === first);
	};
	for (let round = 0; round < rounds; round++) {
		const started = performance.now();
		for (const [i, c] of clients.entries()) {
			const text = postmortemOf(c.doc);
			// One transaction per keystroke, as an editor sends them.
			for (let k = 0; k < insertsPerClient; k++) {
				text.insert(Math.floor(random() * (text.length + 1)), String.fromCharCode(97 + i));
			}
		}
		const expected = postmortemOf(clients[0].doc).length + insertsPerClient * (clients.length - 1);
		const ok = await until(
			() => postmortemOf(clients[0].doc).length === expected && identical(),
			15_000,
			1
		);
		if (ok) times.push(performance.now() - started);
		else failed++;
		await sleep(100);
	}
	return { ...latency(times), failed };
}
