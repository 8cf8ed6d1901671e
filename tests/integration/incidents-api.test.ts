import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/server';
import { ApiClient, signedUp } from '../support/http';

let server: TestServer;
let admin: ApiClient;
let responder: ApiClient & { userId: string };
let viewer: ApiClient;

beforeAll(async () => {
	server = await startServer();
	admin = await signedUp(server.url, 'admin1');
	responder = await signedUp(server.url, 'resp1');
	viewer = await signedUp(server.url, 'viewer1');
	await admin.patch('/api/users/viewer1', { role: 'viewer' });
});
afterAll(async () => {
	await server?.dispose();
});

interface Incident {
	id: string;
	title: string;
	severity: string;
	status: string;
	drill: boolean;
	startedAt: number;
	declaredAt: number;
	detectionSource: string;
	roles: { commander: { id: string } | null };
}

describe('declaring and reading incidents', () => {
	it('declares with just a title and severity; the caller becomes commander', async () => {
		const res = await responder.post<Incident>('/api/incidents', {
			title: 'Checkout 500s',
			severity: 'SEV2'
		});
		expect(res.status).toBe(201);
		expect(res.body.id).toMatch(/^[A-Za-z0-9_-]+$/);
		expect(res.body.status).toBe('investigating');
		expect(res.body.roles.commander?.id).toBe(responder.userId);
		expect(res.body.detectionSource).toBe('alert');
		expect(res.body.drill).toBe(false);
	});

	it('keeps a back-dated start, the detection source and the drill flag', async () => {
		const startedAt = Date.now() - 45 * 60_000;
		const res = await responder.post<Incident>('/api/incidents', {
			title: 'Login latency',
			severity: 'SEV3',
			summary: 'p99 login above 4s',
			detectionSource: 'customer',
			startedAt,
			drill: true
		});
		expect(res.status).toBe(201);
		expect(res.body.startedAt).toBe(startedAt);
		expect(res.body.detectionSource).toBe('customer');
		expect(res.body.drill).toBe(true);
		const got = await viewer.get<Incident>(`/api/incidents/${res.body.id}`);
		expect(got.status).toBe(200);
		expect(got.body.title).toBe('Login latency');
	});

	it('rejects an invalid body with a 400 that names the field, and writes nothing', async () => {
		const before = (await admin.get<{ incidents: Incident[] }>('/api/incidents')).body.incidents
			.length;
		const noTitle = await responder.post('/api/incidents', { severity: 'SEV1' });
		expect(noTitle.status).toBe(400);
		expect(noTitle.body.error).toMatch(/^title: /);
		const badSeverity = await responder.post('/api/incidents', { title: 'x', severity: 'SEV9' });
		expect(badSeverity.status).toBe(400);
		expect(badSeverity.body.error).toMatch(/^severity: /);
		const badJson = await responder.request('POST', '/api/incidents', undefined, '{"title":');
		expect(badJson.status).toBe(400);
		const after = (await admin.get<{ incidents: Incident[] }>('/api/incidents')).body.incidents
			.length;
		expect(after).toBe(before);
	});

	it('refuses a viewer with 403', async () => {
		const res = await viewer.post('/api/incidents', {
			title: 'Should not exist',
			severity: 'SEV4'
		});
		expect(res.status).toBe(403);
		expect(res.body.error).toMatch(/read-only/);
	});

	it('answers 404 for an unknown incident', async () => {
		const res = await admin.get('/api/incidents/does-not-exist');
		expect(res.status).toBe(404);
		expect(res.body.error).toBeTruthy();
	});

	it('lists active incidents first, most severe first, and filters by status and severity', async () => {
		const sev1 = await responder.post<Incident>('/api/incidents', {
			title: 'Payments down',
			severity: 'SEV1'
		});
		const done = await responder.post<Incident>('/api/incidents', {
			title: 'Old blip',
			severity: 'SEV1'
		});
		const status = await responder.post(`/api/incidents/${done.body.id}/commands/incident:status`, {
			status: 'resolved'
		});
		expect(status.status).toBe(200);
		const all = await admin.get<{ incidents: Incident[] }>('/api/incidents');
		const ids = all.body.incidents.map((i) => i.id);
		expect(ids[0]).toBe(sev1.body.id);
		expect(ids.indexOf(done.body.id)).toBe(ids.length - 1);
		const filtered = await admin.get<{ incidents: Incident[] }>('/api/incidents?status=resolved');
		expect(filtered.body.incidents.map((i) => i.id)).toEqual([done.body.id]);
		const bySeverity = await admin.get<{ incidents: Incident[] }>('/api/incidents?severity=SEV3');
		expect(bySeverity.body.incidents.every((i) => i.severity === 'SEV3')).toBe(true);
		expect(bySeverity.body.incidents.length).toBeGreaterThan(0);
		const bad = await admin.get('/api/incidents?status=exploded');
		expect(bad.status).toBe(400);
	});
});
