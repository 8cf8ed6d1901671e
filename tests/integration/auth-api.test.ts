import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/server';
import { ApiClient, signedUp } from '../support/http';

let server: TestServer;
beforeAll(async () => {
	server = await startServer();
});
afterAll(async () => {
	await server?.dispose();
});

describe('sign-up, sign-in, sign-out over the JSON API', () => {
	it('makes the first account admin and later ones responders', async () => {
		const first = new ApiClient(server.url);
		const a = await first.post<{ user: { role: string } }>('/api/auth/signup', {
			username: 'alice',
			password: 'correct horse battery',
			displayName: 'Alice Admin'
		});
		expect(a.status).toBe(201);
		expect(a.body.user.role).toBe('admin');
		expect(a.headers.get('set-cookie')).toMatch(/HttpOnly/i);
		expect(a.headers.get('set-cookie')).toMatch(/SameSite=Lax/i);
		const second = await signedUp(server.url, 'bob');
		const me = await second.get<{ users: { username: string; role: string }[] }>('/api/users');
		expect(me.body.users.find((u) => u.username === 'bob')?.role).toBe('responder');
	});

	it('refuses a taken username and names the field on a bad body', async () => {
		const c = new ApiClient(server.url);
		const taken = await c.post('/api/auth/signup', {
			username: 'alice',
			password: 'another password'
		});
		expect(taken.status).toBe(409);
		expect(taken.body.error).toMatch(/username/);
		const short = await c.post('/api/auth/signup', { username: 'carol', password: 'short' });
		expect(short.status).toBe(400);
		expect(short.body.error).toMatch(/^password: /);
		const junk = await c.request('POST', '/api/auth/signup', undefined, '{not json');
		expect(junk.status).toBe(400);
		expect(junk.body.error).toMatch(/JSON/);
	});

	it('logs in with the right password and refuses the wrong one without saying which part was wrong', async () => {
		const c = new ApiClient(server.url);
		const ok = await c.post('/api/auth/login', {
			username: 'alice',
			password: 'correct horse battery'
		});
		expect(ok.status).toBe(200);
		const wrongPassword = await new ApiClient(server.url).post('/api/auth/login', {
			username: 'alice',
			password: 'nope nope nope'
		});
		const noSuchUser = await new ApiClient(server.url).post('/api/auth/login', {
			username: 'nobody-here',
			password: 'nope nope nope'
		});
		expect(wrongPassword.status).toBe(401);
		expect(noSuchUser.status).toBe(401);
		expect(wrongPassword.body.error).toBe(noSuchUser.body.error);
	});

	it('throttles repeated failures for one account with 429', async () => {
		await signedUp(server.url, 'dave');
		const statuses: number[] = [];
		for (let i = 0; i < 6; i++) {
			const res = await new ApiClient(server.url).post('/api/auth/login', {
				username: 'dave',
				password: `wrong-${i}-password`
			});
			statuses.push(res.status);
		}
		expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
		expect(statuses[5]).toBe(429);
		// Even the right password waits out the throttle.
		const right = await new ApiClient(server.url).post('/api/auth/login', {
			username: 'dave',
			password: 'correct horse battery'
		});
		expect(right.status).toBe(429);
		expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
	});

	it('signs out with 204 and the old cookie stops working', async () => {
		const c = await signedUp(server.url, 'erin');
		const cookie = c.cookie;
		expect((await c.get('/api/incidents')).status).toBe(200);
		expect((await c.post('/api/auth/logout')).status).toBe(204);
		const stale = new ApiClient(server.url);
		stale.cookie = cookie;
		expect((await stale.get('/api/incidents')).status).toBe(401);
	});

	it('answers 401 to signed-out callers on every /api route but signup and login', async () => {
		const c = new ApiClient(server.url);
		for (const [method, path] of [
			['GET', '/api/incidents'],
			['POST', '/api/incidents'],
			['GET', '/api/incidents/abc'],
			['GET', '/api/users'],
			['PATCH', '/api/users/alice'],
			['POST', '/api/incidents/abc/commands/incident:status']
		]) {
			const res = await c.request(method, path, method === 'GET' ? undefined : {});
			expect(res.status, `${method} ${path}`).toBe(401);
			expect(res.body.error).toBeTruthy();
		}
	});

	it('keeps a session across a server restart', async () => {
		const c = await signedUp(server.url, 'frank');
		await server.restart();
		const res = await c.get('/api/incidents');
		expect(res.status).toBe(200);
	});

	it('answers health and readiness probes', async () => {
		expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
		expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
	});
});

describe('account roles', () => {
	it('lets only admins change roles, and never removes the last admin', async () => {
		const admin = new ApiClient(server.url);
		await admin.post('/api/auth/login', { username: 'alice', password: 'correct horse battery' });
		const grace = await signedUp(server.url, 'grace');
		const refused = await grace.patch('/api/users/grace', { role: 'admin' });
		expect(refused.status).toBe(403);
		const bad = await admin.patch('/api/users/grace', { role: 'overlord' });
		expect(bad.status).toBe(400);
		expect(bad.body.error).toMatch(/^role: /);
		const missing = await admin.patch('/api/users/nobody-at-all', { role: 'viewer' });
		expect(missing.status).toBe(404);
		const ok = await admin.patch<{ user: { role: string } }>('/api/users/grace', {
			role: 'viewer'
		});
		expect(ok.status).toBe(200);
		expect(ok.body.user.role).toBe('viewer');
		const lastAdmin = await admin.patch('/api/users/alice', { role: 'responder' });
		expect(lastAdmin.status).toBe(409);
	});
});
