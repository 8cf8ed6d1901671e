/** A minimal Server-Sent Events reader for tests: collects events as they arrive. */
export interface SseEvent {
	event: string;
	data: string;
}

export interface SseClient {
	status: number;
	headers: Headers;
	events: SseEvent[];
	/** Raw text received, comments included. */
	text(): string;
	/** Resolves when the server ends the stream. */
	ended: Promise<void>;
	close(): void;
}

export async function openSse(
	url: string,
	headers: Record<string, string> = {}
): Promise<SseClient> {
	const controller = new AbortController();
	const res = await fetch(url, { headers, signal: controller.signal, redirect: 'manual' });
	const events: SseEvent[] = [];
	let raw = '';
	let buffer = '';
	const ended = (async () => {
		if (!res.body) return;
		const reader = res.body.getReader();
		const decoder = new TextDecoder();
		try {
			for (;;) {
				const { value, done } = await reader.read();
				if (done) return;
				const chunk = decoder.decode(value, { stream: true });
				raw += chunk;
				buffer += chunk;
				let end: number;
				while ((end = buffer.indexOf('\n\n')) >= 0) {
					const block = buffer.slice(0, end);
					buffer = buffer.slice(end + 2);
					let event = 'message';
					const data: string[] = [];
					for (const line of block.split('\n')) {
						if (line.startsWith('event: ')) event = line.slice(7);
						else if (line.startsWith('data: ')) data.push(line.slice(6));
					}
					if (data.length) events.push({ event, data: data.join('\n') });
				}
			}
		} catch {
			// aborted by close()
		}
	})();
	return {
		status: res.status,
		headers: res.headers,
		events,
		text: () => raw,
		ended,
		close: () => controller.abort()
	};
}
