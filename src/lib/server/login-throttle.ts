/** Failed sign-ins: 5 per account and 20 per address in 15 minutes, then 429 until the window passes. */
import { FailureThrottle } from './rate-limit';

const WINDOW_MS = 15 * 60 * 1000;
const perAccount = new FailureThrottle({ maxFailures: 5, windowMs: WINDOW_MS });
const perAddress = new FailureThrottle({ maxFailures: 20, windowMs: WINDOW_MS });

/** Seconds to wait, or 0 when this sign-in may be tried. */
export function loginRetryAfter(username: string, address: string, now = Date.now()): number {
	const ms = Math.max(
		perAccount.retryAfter(username.toLowerCase(), now),
		perAddress.retryAfter(address, now)
	);
	return Math.ceil(ms / 1000);
}

export function recordLoginFailure(username: string, address: string, now = Date.now()): void {
	perAccount.recordFailure(username.toLowerCase(), now);
	perAddress.recordFailure(address, now);
}

export function recordLoginSuccess(username: string): void {
	perAccount.reset(username.toLowerCase());
}
