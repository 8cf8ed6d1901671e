import { describe, expect, it } from 'vitest';
import { FailureThrottle } from '../../src/lib/server/rate-limit';

describe('failure throttle', () => {
	it('allows up to the budget, then refuses until the oldest failure ages out', () => {
		const t = new FailureThrottle({ maxFailures: 3, windowMs: 1000 });
		for (let i = 0; i < 3; i++) {
			expect(t.retryAfter('k', i)).toBe(0);
			t.recordFailure('k', i);
		}
		expect(t.retryAfter('k', 10)).toBe(990);
		expect(t.retryAfter('k', 1000)).toBe(0);
	});

	it('keeps keys apart and forgets on reset', () => {
		const t = new FailureThrottle({ maxFailures: 1, windowMs: 1000 });
		t.recordFailure('a', 0);
		expect(t.retryAfter('a', 1)).toBeGreaterThan(0);
		expect(t.retryAfter('b', 1)).toBe(0);
		t.reset('a');
		expect(t.retryAfter('a', 1)).toBe(0);
	});
});
