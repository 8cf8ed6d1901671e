/**
 * The executive view and share links against the real server: pages, the
 * Server-Sent Events streams, who may manage links, what a link grants (one
 * page and its stream, nothing else), and that the pages ship no editor,
 * CRDT or Socket.IO code.
 */
import { readdirSync, readFileSync } from 'node:fs';
import nodePath from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageWeight } from '../../bench/page-weight';
import { ApiClient, signedUp } from '../support/http';
import { startServer, type TestServer } from '../support/server';
import { openSse, type SseClient } from '../support/sse';
import { waitFor } from '../support/wait';

let server: TestServer;
let admin: Awaited<ReturnType<typeof signedUp>>;
let commander: Awaited<ReturnType<typeof signedUp>>;
let responder: Awaited<ReturnType<typeof signedUp>>;
let viewer: Awaited<ReturnType<typeof signedUp>>;
let incidentId: string;
let otherIncidentId: string;
const open: SseClient[] = [];

beforeAll(async () => {
	server = await startServer();
	admin = await signedUp(server.url, 'execadmin');
	commander = await signedUp(server.url, 'execic');
	responder = await signedUp(server.url, 'execresp');
	viewer = await signedUp(server.url, 'execviewer');
	expect((await admin.patch(`/api/users/${viewer.username}`, { role: 'viewer' })).status).toBe(200);
	const res = await commander.post<{ id: string }>('/api/incidents', {
		title: 'Payments degraded',
		severity: 'SEV1',
		summary: 'Card payments time out for a third of customers.'
	});
	incidentId = res.body.id;
	otherIncidentId = (
		await commander.post<{ id: string }>('/api/incidents', { title: 'Other one', severity: 'SEV4' })
	).body.id;
});

afterAll(async () => {
	for (const s of open) s.close();
	await server?.dispose();
});

async function sse(path: string, cookie?: string): Promise<SseClient> {
	const client = await openSse(server.url + path, cookie ? { cookie } : {});
	open.push(client);
	return client;
}

const summaries = (c: SseClient) =>
	c.events.filter((e) => e.event === 'summary').map((e) => JSON.parse(e.data));

async function createLink(by: ApiClient = commander, expiresIn = '1h', incident = incidentId) {
	const res = await by.post<{ token: string; url: string; link: { id: string } }>(
		`/api/incidents/${incident}/share-links`,
		{ expiresIn, label: 'Board call' }
	);
	expect(res.status).toBe(201);
	return res.body;
}

/** The page's main content, where edit controls would live (the top bar holds only navigation). */
async function mainOf(path: string, cookie?: string) {
	const res = await fetch(server.url + path, { headers: cookie ? { cookie } : {} });
	const html = await res.text();
	const main = html.slice(html.indexOf('<main'), html.indexOf('</main>'));
	return { res, html, main };
}

const EDIT_CONTROL = /<(form|button|input|textarea|select)\b|contenteditable/i;

describe('the executive pages', () => {
	it('shows a viewer one incident with no edit control', async () => {
		const { res, main } = await mainOf(`/incidents/${incidentId}/exec`, viewer.cookie);
		expect(res.status).toBe(200);
		expect(main).toContain('Payments degraded');
		expect(main).toContain('Card payments time out');
		expect(main).toContain('Execic');
		expect(main.replace(/<[^>]+>/g, '')).toMatch(/0 of \d+ done/);
		expect(main).not.toMatch(EDIT_CONTROL);
	});

	it('shows every active incident on the board, most severe first', async () => {
		const { res, main } = await mainOf('/exec', viewer.cookie);
		expect(res.status).toBe(200);
		expect(main).not.toMatch(EDIT_CONTROL);
		expect(main.indexOf('Payments degraded')).toBeGreaterThan(-1);
		expect(main.indexOf('Payments degraded')).toBeLessThan(main.indexOf('Other one'));
	});

	it('sends signed-out visitors to sign in and answers their streams 401', async () => {
		const page = await fetch(`${server.url}/incidents/${incidentId}/exec`, { redirect: 'manual' });
		expect(page.status).toBe(303);
		expect(page.headers.get('location')).toMatch(/^\/login/);
		expect((await fetch(`${server.url}/exec/events`)).status).toBe(401);
		expect((await fetch(`${server.url}/incidents/${incidentId}/exec/events`)).status).toBe(401);
	});

	it('answers 404 for an unknown incident', async () => {
		expect((await mainOf('/incidents/nope/exec', viewer.cookie)).res.status).toBe(404);
		const res = await fetch(`${server.url}/incidents/nope/exec/events`, {
			headers: { cookie: viewer.cookie }
		});
		expect(res.status).toBe(404);
	});
});

describe('the event streams', () => {
	it('sends the summary on connect and again after each change, then cleans up', async () => {
		const stream = await sse(`/incidents/${incidentId}/exec/events`, viewer.cookie);
		expect(stream.status).toBe(200);
		expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
		await waitFor(() => summaries(stream).length === 1, { what: 'first summary' });
		expect(summaries(stream)[0]).toMatchObject({ id: incidentId, status: 'investigating' });

		await commander.post(`/api/incidents/${incidentId}/commands/incident:status`, {
			status: 'identified'
		});
		await waitFor(() => summaries(stream).at(-1)?.status === 'identified', { what: 'status push' });
		await commander.post(`/api/incidents/${incidentId}/commands/update:post`, {
			text: 'Root cause found in the card gateway.'
		});
		await waitFor(
			() => summaries(stream).at(-1)?.lastUpdate?.text === 'Root cause found in the card gateway.',
			{ what: 'update push' }
		);
		const last = summaries(stream).at(-1);
		expect(last.lastUpdate.by).toBe('Execic');
		expect(last.keyTimeline[0]).toMatchObject({ kind: 'update', author: 'Execic' });
		// Several changes close together arrive as few pushes, not one per stored edit.
		expect(summaries(stream).length).toBeLessThanOrEqual(5);

		stream.close();
		await waitFor(
			() =>
				server
					.output()
					.split('\n')
					.some(
						(l) =>
							l.includes('"event":"exec.stream_closed"') &&
							l.includes('"reason":"client_gone"') &&
							l.includes('"stream":"incident"')
					),
			{ what: 'stream cleanup' }
		);
	});

	it('pushes the board when any incident changes', async () => {
		const stream = await sse('/exec/events', viewer.cookie);
		await waitFor(() => summaries(stream).length === 1, { what: 'first board' });
		const created = await commander.post<{ id: string }>('/api/incidents', {
			title: 'Search is slow',
			severity: 'SEV3'
		});
		await waitFor(
			() =>
				summaries(stream)
					.at(-1)
					?.some((e: { id: string }) => e.id === created.body.id),
			{ what: 'board push' }
		);
		await commander.post(`/api/incidents/${created.body.id}/commands/incident:status`, {
			status: 'resolved'
		});
		await waitFor(
			() =>
				!summaries(stream)
					.at(-1)
					?.some((e: { id: string }) => e.id === created.body.id),
			{ what: 'resolved incident leaves the board' }
		);
		expect(
			summaries(stream)
				.at(-1)
				.map((e: { id: string }) => e.id)
		).toContain(incidentId);
		stream.close();
	});
});

describe('share links', () => {
	it('are managed by the commander or an admin only', async () => {
		expect((await commander.get(`/api/incidents/${incidentId}/share-links`)).status).toBe(200);
		expect((await admin.get(`/api/incidents/${incidentId}/share-links`)).status).toBe(200);
		expect((await responder.get(`/api/incidents/${incidentId}/share-links`)).status).toBe(403);
		expect((await viewer.get(`/api/incidents/${incidentId}/share-links`)).status).toBe(403);
		expect(
			(await new ApiClient(server.url).get(`/api/incidents/${incidentId}/share-links`)).status
		).toBe(401);
		expect((await commander.get('/api/incidents/nope/share-links')).status).toBe(404);
		const settings = async (c: ApiClient) =>
			(
				await fetch(`${server.url}/incidents/${incidentId}/settings`, {
					headers: { cookie: c.cookie },
					redirect: 'manual'
				})
			).status;
		expect(await settings(commander)).toBe(200);
		expect(await settings(admin)).toBe(200);
		expect(await settings(responder)).toBe(403);
		expect(await settings(viewer)).toBe(403);
	});

	it('validate the body and name the field', async () => {
		const res = await commander.post(`/api/incidents/${incidentId}/share-links`, {
			expiresIn: '30d'
		});
		expect(res.status).toBe(400);
		expect(res.body).toMatchObject({ error: expect.stringMatching(/^expiresIn: /) });
	});

	it('list links without their tokens', async () => {
		const { token, link } = await createLink();
		const list = await commander.get<{ links: { id: string; state: string }[] }>(
			`/api/incidents/${incidentId}/share-links`
		);
		expect(list.body.links.find((l) => l.id === link.id)).toMatchObject({ state: 'active' });
		expect(JSON.stringify(list.body)).not.toContain(token.split('.')[1]);
	});

	it('grant the exec page and its stream without setting a cookie', async () => {
		const { token } = await createLink();
		const { res, main } = await mainOf(`/share/${token}`);
		expect(res.status).toBe(200);
		expect(res.headers.get('set-cookie')).toBeNull();
		expect(res.headers.get('referrer-policy')).toBe('no-referrer');
		expect(main).toContain('Payments degraded');
		expect(main).not.toMatch(EDIT_CONTROL);
		const stream = await sse(`/share/${token}/events`);
		expect(stream.headers.get('set-cookie')).toBeNull();
		await waitFor(() => summaries(stream).length === 1, { what: 'share summary' });
		expect(summaries(stream)[0].id).toBe(incidentId);
		stream.close();
	});

	it('grant nothing else: the token is no session, no API key, no other page', async () => {
		const { token } = await createLink();
		const asCookie = { cookie: `warroom_session=${token}` };
		const bearer = { authorization: `Bearer ${token}` };
		for (const headers of [asCookie, bearer, {}]) {
			expect((await fetch(`${server.url}/api/incidents`, { headers })).status).toBe(401);
			expect((await fetch(`${server.url}/api/incidents/${incidentId}`, { headers })).status).toBe(
				401
			);
			const page = await fetch(`${server.url}/incidents/${incidentId}`, {
				headers,
				redirect: 'manual'
			});
			expect(page.status).toBe(303);
			const exec = await fetch(`${server.url}/incidents/${incidentId}/exec/events`, { headers });
			expect(exec.status).toBe(401);
		}
		// Query-string variants of the token are not read anywhere.
		const q = await fetch(`${server.url}/incidents/${incidentId}/exec?token=${token}`, {
			redirect: 'manual'
		});
		expect(q.status).toBe(303);
		// A link for one incident shows that incident only.
		const other = await createLink(commander, '1h', otherIncidentId);
		const stream = await sse(`/share/${other.token}/events`);
		await waitFor(() => summaries(stream).length === 1, { what: 'other summary' });
		expect(summaries(stream)[0].id).toBe(otherIncidentId);
		stream.close();
	});

	it('once revoked, answer 410 and end open streams', async () => {
		const { token, link } = await createLink();
		const stream = await sse(`/share/${token}/events`);
		await waitFor(() => summaries(stream).length === 1, { what: 'share summary' });
		const revoked = await commander.request(
			'DELETE',
			`/api/incidents/${incidentId}/share-links/${link.id}`
		);
		expect(revoked.status).toBe(200);
		expect(revoked.body).toMatchObject({ link: { state: 'revoked' } });
		await stream.ended;
		expect(stream.events.at(-1)).toMatchObject({ event: 'gone' });
		const page = await mainOf(`/share/${token}`);
		expect(page.res.status).toBe(410);
		expect(page.html).toContain('This link has been revoked.');
		expect((await fetch(`${server.url}/share/${token}/events`)).status).toBe(410);
		expect(
			(await responder.request('DELETE', `/api/incidents/${incidentId}/share-links/${link.id}`))
				.status
		).toBe(403);
		expect(
			(await commander.request('DELETE', `/api/incidents/${incidentId}/share-links/nope`)).status
		).toBe(404);
	});

	it('answer 404 for a token that never existed', async () => {
		const fake = `${'a'.repeat(39)}.${'b'.repeat(39)}`;
		const page = await mainOf(`/share/${fake}`);
		expect(page.res.status).toBe(404);
		expect(page.html).toContain('This link is not valid.');
		expect((await fetch(`${server.url}/share/garbage/events`)).status).toBe(404);
	});
});

describe('page weight', () => {
	const HEAVY = [
		{ name: 'yjs', path: /yjs|y-websocket/i, marker: 'Yjs was already imported' },
		{ name: 'codemirror', path: /codemirror|y-codemirror/i, marker: 'cm-editor' },
		{ name: 'socket.io-client', path: /socket\.io|engine\.io/i, marker: 'transport close' }
	];

	it('looks for markers that the build really contains (the check is not vacuous)', () => {
		const dir = nodePath.join(
			import.meta.dirname,
			'..',
			'..',
			'build',
			'client',
			'_app',
			'immutable'
		);
		const texts = (readdirSync(dir, { recursive: true }) as string[])
			.filter((f) => f.endsWith('.js'))
			.map((f) => readFileSync(nodePath.join(dir, f), 'utf8'));
		for (const heavy of HEAVY)
			expect(
				texts.some((t) => t.includes(heavy.marker)),
				heavy.name
			).toBe(true);
	});

	it('the exec pages ship no editor, CRDT or Socket.IO code', async () => {
		const { token } = await createLink();
		const pages: [string, string | undefined][] = [
			[`/incidents/${incidentId}/exec`, viewer.cookie],
			['/exec', viewer.cookie],
			[`/share/${token}`, undefined]
		];
		for (const [path, cookie] of pages) {
			const weight = await pageWeight(server.url, path, cookie);
			expect(weight.files.length).toBeGreaterThan(0);
			expect(weight.gzipBytes).toBeGreaterThan(0);
			expect(weight.gzipBytes).toBeLessThan(weight.rawBytes);
			for (const file of weight.files) {
				const text = await (
					await fetch(server.url + file.path, { headers: cookie ? { cookie } : {} })
				).text();
				for (const heavy of HEAVY) {
					expect(file.path, `${path} loads ${heavy.name}`).not.toMatch(heavy.path);
					expect(text.includes(heavy.marker), `${path} ships ${heavy.name} in ${file.path}`).toBe(
						false
					);
				}
			}
		}
	});
});
