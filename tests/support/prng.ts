/** A seeded PRNG (mulberry32) so a failing reliability run can be replayed with the same seed. */
export interface Prng {
	/** In [0, 1). */
	next(): number;
	int(maxExclusive: number): number;
	pick<T>(items: readonly T[]): T;
	bytes(length: number): Uint8Array;
	readonly seed: number;
}

export function prng(seed: number): Prng {
	let a = seed >>> 0;
	const next = () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	const int = (max: number) => Math.floor(next() * max);
	return {
		seed,
		next,
		int,
		pick: (items) => items[int(items.length)],
		bytes(length) {
			const out = new Uint8Array(length);
			for (let i = 0; i < length; i++) out[i] = int(256);
			return out;
		}
	};
}

/** The seed for this run: TEST_SEED to replay one, else a fixed default (CI runs are reproducible). */
export function testSeed(fallback: number): number {
	return process.env.TEST_SEED ? Number(process.env.TEST_SEED) : fallback;
}
