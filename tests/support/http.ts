/** A tiny cookie-carrying JSON client for the API, as a script or bot would use it. */

export interface ApiResponse<T = unknown> {
	status: number;
	body: T;
	headers: Headers;
}

export class ApiClient {
	cookie = '';
	constructor(readonly baseUrl: string) {}

	async request<T = Record<string, unknown>>(
		method: string,
		path: string,
		body?: unknown,
		rawBody?: string
	): Promise<ApiResponse<T>> {
		const headers: Record<string, string> = {};
		if (this.cookie) headers.cookie = this.cookie;
		if (body !== undefined || rawBody !== undefined) headers['content-type'] = 'application/json';
		const res = await fetch(this.baseUrl + path, {
			method,
			headers,
			body: rawBody ?? (body === undefined ? undefined : JSON.stringify(body)),
			redirect: 'manual'
		});
		const setCookie = res.headers.get('set-cookie');
		if (setCookie) {
			const [pair] = setCookie.split(';');
			const value = pair.slice(pair.indexOf('=') + 1);
			this.cookie = value ? pair : '';
		}
		const text = await res.text();
		let parsed: unknown = text;
		try {
			parsed = text ? JSON.parse(text) : null;
		} catch {
			// keep the text
		}
		return { status: res.status, body: parsed as T, headers: res.headers };
	}

	get<T = Record<string, unknown>>(path: string) {
		return this.request<T>('GET', path);
	}
	post<T = Record<string, unknown>>(path: string, body?: unknown) {
		return this.request<T>('POST', path, body);
	}
	patch<T = Record<string, unknown>>(path: string, body?: unknown) {
		return this.request<T>('PATCH', path, body);
	}
}

let counter = 0;
/** Signs up a fresh account and returns a client carrying its session cookie. */
export async function signedUp(
	baseUrl: string,
	name = `user${Date.now().toString(36)}${counter++}`,
	password = 'correct horse battery'
): Promise<ApiClient & { username: string; userId: string; password: string }> {
	const client = new ApiClient(baseUrl);
	const res = await client.post<{ user: { id: string } }>('/api/auth/signup', {
		username: name,
		password,
		displayName: name[0].toUpperCase() + name.slice(1)
	});
	if (res.status !== 201)
		throw new Error(`signup failed: ${res.status} ${JSON.stringify(res.body)}`);
	return Object.assign(client, { username: name, userId: res.body.user.id, password });
}
