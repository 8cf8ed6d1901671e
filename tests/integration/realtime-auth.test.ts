import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { startServer, type TestServer } from '../support/server';
import { signedUp, type ApiClient } from '../support/http';

let server: TestServer;
let alice: ApiClient;
let incidentId: string;

beforeAll(async () => {
	server = await startServer();
	alice = await signedUp(server.url, 'alice');
	const res = await alice.post<{ id: string }>('/api/incidents', {
		title: 'Realtime auth',
		severity: 'SEV3'
	});
	incidentId = res.body.id;
});
afterAll(async () => {
	await server?.dispose();
});

/** Opens a raw WebSocket to /yjs and reports whether it was accepted, or the HTTP status and reason it was refused with. */
function tryYjs(
	path: string,
	headers: Record<string, string>
): Promise<{ open: true } | { status: number; body: string }> {
	return new Promise((resolve, reject) => {
		const ws = new WebSocket(`ws://127.0.0.1:${server.port}${path}`, { headers });
		ws.on('open', () => {
			ws.close();
			resolve({ open: true });
		});
		ws.on('unexpected-response', (_req, res) => {
			let body = '';
			res.on('data', (c: Buffer) => (body += c.toString()));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
		});
		ws.on('error', (err) => {
			if (!String(err.message).includes('Unexpected server response')) reject(err);
		});
	});
}

describe('the Yjs endpoint authenticates in the upgrade', () => {
	it('accepts a signed-in client for an existing incident', async () => {
		expect(await tryYjs(`/yjs/${incidentId}`, { cookie: alice.cookie })).toEqual({ open: true });
	});

	it('refuses a connection without a session with 401 and a reason', async () => {
		const res = await tryYjs(`/yjs/${incidentId}`, {});
		expect(res).toMatchObject({ status: 401 });
		expect('body' in res && res.body).toMatch(/not signed in/);
	});

	it('refuses a forged session token with 401', async () => {
		const res = await tryYjs(`/yjs/${incidentId}`, { cookie: 'warroom_session=abc.def' });
		expect(res).toMatchObject({ status: 401 });
	});

	it('refuses an unknown incident with 404', async () => {
		const res = await tryYjs('/yjs/no-such-incident', { cookie: alice.cookie });
		expect(res).toMatchObject({ status: 404 });
	});

	it('refuses a cross-site Origin with 403', async () => {
		const res = await tryYjs(`/yjs/${incidentId}`, {
			cookie: alice.cookie,
			origin: 'https://evil.example'
		});
		expect(res).toMatchObject({ status: 403 });
	});

	it('accepts the app’s own Origin', async () => {
		const res = await tryYjs(`/yjs/${incidentId}`, { cookie: alice.cookie, origin: server.url });
		expect(res).toEqual({ open: true });
	});
});

function connect(headers: Record<string, string>): Socket {
	return connectSocket(server.url, {
		transports: ['websocket'],
		extraHeaders: headers,
		reconnection: false,
		forceNew: true
	});
}

function outcome(socket: Socket): Promise<'connected' | string> {
	return new Promise((resolve) => {
		socket.on('connect', () => resolve('connected'));
		socket.on('connect_error', (err) => resolve(err.message));
	});
}

describe('Socket.IO authenticates the handshake', () => {
	it('refuses a handshake without a session', async () => {
		const socket = connect({});
		expect(await outcome(socket)).toMatch(/not signed in/);
		socket.close();
	});

	it('refuses a cross-site Origin', async () => {
		const socket = connect({ cookie: alice.cookie, origin: 'https://evil.example' });
		expect(await outcome(socket)).toMatch(/origin/);
		socket.close();
	});

	it('accepts a signed-in client, joins an incident and answers unknown events with an error', async () => {
		const socket = connect({ cookie: alice.cookie });
		expect(await outcome(socket)).toBe('connected');
		const joined = await socket.emitWithAck('incident:join', { incidentId });
		expect(joined).toMatchObject({ ok: true, incident: { id: incidentId } });
		const missing = await socket.emitWithAck('incident:join', { incidentId: 'nope' });
		expect(missing).toMatchObject({ ok: false });
		const unknown = await socket.emitWithAck('launch:missiles', { now: true });
		expect(unknown).toMatchObject({ ok: false, error: expect.stringMatching(/Unknown event/) });
		const invalid = await socket.emitWithAck('incident:status', { incidentId, status: 'on-fire' });
		expect(invalid).toMatchObject({ ok: false, error: expect.stringMatching(/^status: /) });
		socket.close();
	});
});
