/**
 * Login throttling per account and per address: a fixed budget of failures
 * in a sliding window, then refusal until the oldest failure ages out.
 * In memory: each node throttles what it sees.
 */
export interface ThrottleOptions {
	maxFailures: number;
	windowMs: number;
}

export class FailureThrottle {
	private failures = new Map<string, number[]>();
	constructor(private readonly options: ThrottleOptions) {}

	private recent(key: string, now: number): number[] {
		const list = (this.failures.get(key) ?? []).filter((t) => now - t < this.options.windowMs);
		if (list.length) this.failures.set(key, list);
		else this.failures.delete(key);
		return list;
	}

	/** Milliseconds until `key` may try again; 0 when allowed now. */
	retryAfter(key: string, now = Date.now()): number {
		const list = this.recent(key, now);
		if (list.length < this.options.maxFailures) return 0;
		return this.options.windowMs - (now - list[0]);
	}

	recordFailure(key: string, now = Date.now()): void {
		const list = this.recent(key, now);
		list.push(now);
		this.failures.set(key, list);
	}

	reset(key: string): void {
		this.failures.delete(key);
	}
}
