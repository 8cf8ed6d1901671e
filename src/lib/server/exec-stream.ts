/**
 * Server-Sent Events for the executive pages: the summary on connect, again
 * (debounced) whenever the realtime hub reports a change, and a comment
 * heartbeat so proxies keep the stream open. EventSource reconnects by itself.
 */
import { log } from './log';
import { realtimeHub } from './realtime-hub';

export const SSE_DEBOUNCE_MS = 150;
export const SSE_HEARTBEAT_MS = 25_000;
/** Tells EventSource how soon to come back after the stream drops. */
const RETRY_MS = 2_000;

export type StreamLoad = { data: unknown } | { gone: string };

export interface ExecStreamOptions {
	/** Only changes to this incident matter; every change matters when omitted (the board). */
	incidentId?: string;
	/** Builds what to send now; `gone` ends the stream with that message. */
	load: () => Promise<StreamLoad>;
	/** Also rebuild at this instant (a share link's expiry). */
	recheckAt?: number;
	signal: AbortSignal;
	logFields: Record<string, unknown>;
}

export function execEventStream(options: ExecStreamOptions): Response {
	const encoder = new TextEncoder();
	let unsubscribe: (() => void) | null = null;
	let debounce: ReturnType<typeof setTimeout> | null = null;
	let heartbeat: ReturnType<typeof setInterval> | null = null;
	let recheck: ReturnType<typeof setTimeout> | null = null;
	let closed = false;
	let running = false;
	let again = false;
	let controller!: ReadableStreamDefaultController<Uint8Array>;

	const write = (text: string) => {
		if (closed) return;
		try {
			controller.enqueue(encoder.encode(text));
		} catch {
			cleanup('enqueue_failed');
		}
	};

	function cleanup(reason: string) {
		if (closed) return;
		closed = true;
		unsubscribe?.();
		if (debounce) clearTimeout(debounce);
		if (heartbeat) clearInterval(heartbeat);
		if (recheck) clearTimeout(recheck);
		options.signal.removeEventListener('abort', onAbort);
		log.info('exec.stream_closed', { ...options.logFields, reason });
	}
	const onAbort = () => cleanup('client_gone');

	/** Never two loads at once; a change during a load triggers one more. */
	async function push() {
		if (closed) return;
		if (running) {
			again = true;
			return;
		}
		running = true;
		try {
			const result = await options.load();
			if ('gone' in result) {
				write(`event: gone\ndata: ${JSON.stringify({ message: result.gone })}\n\n`);
				cleanup('gone');
				try {
					controller.close();
				} catch {
					// already closed
				}
				return;
			}
			write(`event: summary\ndata: ${JSON.stringify(result.data)}\n\n`);
		} catch (err) {
			log.error('exec.stream_load_failed', { ...options.logFields, err });
		} finally {
			running = false;
		}
		if (again && !closed) {
			again = false;
			void push();
		}
	}

	const schedule = () => {
		if (closed || debounce) return;
		debounce = setTimeout(() => {
			debounce = null;
			void push();
		}, SSE_DEBOUNCE_MS);
	};

	const stream = new ReadableStream<Uint8Array>({
		start(c) {
			controller = c;
			if (options.signal.aborted) return cleanup('client_gone');
			options.signal.addEventListener('abort', onAbort);
			unsubscribe = realtimeHub().subscribe((incidentId) => {
				if (!options.incidentId || incidentId === options.incidentId) schedule();
			});
			heartbeat = setInterval(() => write(`: heartbeat ${Date.now()}\n\n`), SSE_HEARTBEAT_MS);
			if (options.recheckAt !== undefined) {
				const wait = Math.min(options.recheckAt - Date.now() + 500, 2 ** 31 - 1);
				recheck = setTimeout(() => void push(), Math.max(0, wait));
			}
			log.info('exec.stream_opened', options.logFields);
			write(`retry: ${RETRY_MS}\n\n`);
			void push();
		},
		cancel() {
			cleanup('client_gone');
		}
	});

	return new Response(stream, {
		headers: {
			'content-type': 'text/event-stream; charset=utf-8',
			'cache-control': 'no-cache, no-transform',
			connection: 'keep-alive',
			'x-accel-buffering': 'no'
		}
	});
}
