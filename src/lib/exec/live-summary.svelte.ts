/**
 * The browser side of the executive pages: one EventSource carrying JSON
 * summaries. EventSource retries dropped connections by itself; when it gives
 * up (an HTTP error such as a restart behind a proxy) we open a new one with
 * a growing pause. A `gone` event (link revoked or expired) ends it for good.
 */
export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'gone';

const MAX_BACKOFF_MS = 30_000;

export class LiveSummary<T> {
	data: T = $state() as T;
	state: LiveState = $state('connecting');
	goneMessage = $state('');
	/** When the last summary arrived (epoch ms), for "updated … ago". */
	receivedAt = $state(0);

	constructor(
		private readonly url: string,
		initial: T
	) {
		this.data = initial;
		this.receivedAt = Date.now();
	}

	/** Opens the stream; returns the function that closes it (for `$effect`). */
	connect(): () => void {
		let source: EventSource | null = null;
		let retry: ReturnType<typeof setTimeout> | null = null;
		let backoff = 1_000;
		let stopped = false;

		const open = () => {
			source = new EventSource(this.url);
			source.addEventListener('open', () => {
				backoff = 1_000;
			});
			source.addEventListener('summary', (event) => {
				this.data = JSON.parse((event as MessageEvent<string>).data) as T;
				this.receivedAt = Date.now();
				this.state = 'live';
			});
			source.addEventListener('gone', (event) => {
				const { message } = JSON.parse((event as MessageEvent<string>).data) as {
					message: string;
				};
				this.goneMessage = message;
				this.state = 'gone';
				stop();
			});
			source.addEventListener('error', () => {
				if (stopped) return;
				this.state = 'reconnecting';
				if (source?.readyState === EventSource.CLOSED) {
					source = null;
					retry = setTimeout(open, backoff);
					backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
				}
			});
		};

		const stop = () => {
			stopped = true;
			if (retry) clearTimeout(retry);
			source?.close();
			source = null;
		};

		open();
		return stop;
	}
}

/** A clock that ticks while the page is open, so durations move between pushes. */
export class Ticker {
	now = $state(Date.now());

	start(everyMs = 5_000): () => void {
		this.now = Date.now();
		const timer = setInterval(() => (this.now = Date.now()), everyMs);
		return () => clearInterval(timer);
	}
}
