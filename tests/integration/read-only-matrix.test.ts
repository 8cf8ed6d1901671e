/**
 * Read-only everywhere: a viewer, a share-link holder and a signed-out client
 * each try every write path the server has (Yjs through the stock client and
 * hand-made frames, every Socket.IO command, every form action, every JSON
 * API write). Each attempt is refused, and afterwards nothing has changed in
 * the document (a responder's live client heard nothing; a fresh client after
 * a restart reads the same state), in the database (re-read through the API)
 * or in what other clients were told.
 *
 * The guard at the end fails when a write path appears without a row here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as encoding from 'lib0/encoding';
import type { Socket } from 'socket.io-client';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import {
	addChecklistItem,
	appendEntry,
	newIncidentDoc,
	postmortemOf,
	readChecklist,
	readTimeline
} from '../../src/lib/doc/incident-doc';
import { commandSchemas, type CommandName } from '../../src/lib/incident/command-schemas';
import { signedUp } from '../support/http';
import { startServer, type TestServer } from '../support/server';
import { commandSocket, send } from '../support/socket';
import { waitFor } from '../support/wait';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

type CallerKind = 'viewer' | 'share link holder' | 'signed out' | 'admin (control)';
interface Caller {
	kind: CallerKind;
	/** Headers for HTTP and WebSocket handshakes: a session, a share token posing as one, or nothing. */
	headers: Record<string, string>;
	/** Query string appended to WebSocket URLs (a share holder tries its token there too). */
	query: string;
}

interface Outcome {
	refused: boolean;
	how: string;
}

interface Row {
	kind: 'yjs' | 'socket' | 'action' | 'api';
	/** The write path it covers, as the guard names them (see `discoverWritePaths`). */
	covers: string;
	name: string;
	attempt(caller: Caller): Promise<Outcome>;
}

/** Write paths that are not writes to incident state, with why; the guard still requires them listed. */
const EXEMPT: Record<string, string> = {
	'api:POST /api/auth/signup': 'creates an account (any visitor may; first admin, then responders)',
	'api:POST /api/auth/login': 'starts a session for the caller',
	'api:POST /api/auth/logout': 'ends the caller’s own session',
	'action:/signup?/default': 'creates an account (any visitor may)',
	'action:/login?/default': 'starts a session for the caller',
	'action:/logout?/default': 'ends the caller’s own session'
};

let server: TestServer;
let admin: Awaited<ReturnType<typeof signedUp>>;
let responder: Awaited<ReturnType<typeof signedUp>>;
let viewer: Awaited<ReturnType<typeof signedUp>>;
let incidentId: string;
let handoverId: string;
let targetLinkId: string;
let shareToken: string;
let callers: Caller[];
const openSockets = new Map<string, Socket>();
let observer: { doc: Y.Doc; provider: WebsocketProvider; updates: number };
let observerSocket: Socket;
let incidentChanges = 0;
let before: Fingerprint;

// ---------------------------------------------------------------- helpers

/** The stock y-websocket client, sending whatever handshake headers the caller has. */
function stockClient(caller: Pick<Caller, 'headers' | 'query'>, doc: Y.Doc): WebsocketProvider {
	const headers = caller.headers;
	class HeaderWebSocket extends WebSocket {
		constructor(url: string | URL, protocols?: string | string[]) {
			super(url, protocols, { headers });
		}
	}
	const params: Record<string, string> = caller.query
		? Object.fromEntries(new URLSearchParams(caller.query))
		: {};
	return new WebsocketProvider(`ws://127.0.0.1:${server.port}/yjs`, incidentId, doc, {
		WebSocketPolyfill: HeaderWebSocket as unknown as typeof globalThis.WebSocket,
		params,
		disableBc: true,
		maxBackoffTime: 500
	});
}

function readDoc(doc: Y.Doc) {
	return {
		timeline: readTimeline(doc),
		checklist: readChecklist(doc),
		postmortem: postmortemOf(doc).toString()
	};
}

async function freshDocState() {
	const doc = newIncidentDoc();
	const provider = stockClient({ headers: { cookie: responder.cookie }, query: '' }, doc);
	await waitFor(() => provider.synced, { what: 'fresh client sync' });
	const state = readDoc(doc);
	provider.destroy();
	doc.destroy();
	return state;
}

/** A Yjs update that would add a timeline entry, a checklist item and postmortem text. */
function hostileUpdate(): Uint8Array {
	const doc = newIncidentDoc();
	appendEntry(doc, { ts: Date.now(), kind: 'note', text: 'written by a reader', author: 'x' });
	addChecklistItem(doc, { text: 'added by a reader' });
	postmortemOf(doc).insert(0, 'rewritten by a reader');
	return Y.encodeStateAsUpdate(doc);
}

/** 0 = sync, then 1 = step 2 or 2 = update, then the update: one message per frame. */
function syncFrame(type: 1 | 2, update: Uint8Array): Uint8Array {
	const enc = encoding.createEncoder();
	encoding.writeVarUint(enc, 0);
	encoding.writeVarUint(enc, type);
	encoding.writeVarUint8Array(enc, update);
	return encoding.toUint8Array(enc);
}

function droppedWrites(userId: string): number {
	return server
		.output()
		.split('\n')
		.filter((l) => l.includes('"event":"yjs.readonly_write_dropped"') && l.includes(userId)).length;
}

/** Opens a raw socket on /yjs; refused upgrades report their status. */
function rawYjs(caller: Caller): Promise<{ ws: WebSocket } | { status: number }> {
	return new Promise((resolve, reject) => {
		const ws = new WebSocket(
			`ws://127.0.0.1:${server.port}/yjs/${incidentId}${caller.query ? `?${caller.query}` : ''}`,
			{ headers: caller.headers }
		);
		ws.on('open', () => resolve({ ws }));
		ws.on('unexpected-response', (_req, res) => {
			res.resume();
			resolve({ status: res.statusCode ?? 0 });
		});
		ws.on('error', (err) => {
			if (!String(err.message).includes('Unexpected server response')) reject(err);
		});
	});
}

async function sendRawFrame(caller: Caller, type: 1 | 2): Promise<Outcome> {
	const viewerId = caller.kind === 'viewer' ? viewer.userId : '';
	const dropsBefore = viewerId ? droppedWrites(viewerId) : 0;
	const opened = await rawYjs(caller);
	if ('status' in opened) return { refused: true, how: `upgrade refused ${opened.status}` };
	opened.ws.send(syncFrame(type, hostileUpdate()));
	// The server logs the first dropped write of each connection.
	await waitFor(() => droppedWrites(viewerId) > dropsBefore, { what: 'write dropped' });
	opened.ws.close();
	return { refused: true, how: 'frame dropped and logged' };
}

async function socketCommand(caller: Caller, name: CommandName, payload: object): Promise<Outcome> {
	let socket = openSockets.get(caller.kind);
	if (!socket) {
		const attempt = io(server.url, {
			transports: ['websocket'],
			extraHeaders: caller.headers,
			auth: caller.kind === 'share link holder' ? { token: shareToken } : {},
			reconnection: false,
			forceNew: true
		});
		const result = await new Promise<string>((resolve) => {
			attempt.once('connect', () => resolve('connected'));
			attempt.once('connect_error', (err) => resolve(err.message));
		});
		if (result !== 'connected') {
			attempt.close();
			return { refused: true, how: `handshake refused: ${result}` };
		}
		socket = attempt;
		openSockets.set(caller.kind, socket);
	}
	const reply = await send(socket, name, { incidentId, ...payload });
	if (reply.ok) return { refused: false, how: 'accepted' };
	return {
		refused: caller.kind !== 'viewer' || reply.code === 'forbidden',
		how: `${reply.code}: ${reply.error}`
	};
}

async function http(caller: Caller, method: string, url: string, body?: unknown) {
	return fetch(server.url + url, {
		method,
		headers: {
			...caller.headers,
			...(body === undefined ? {} : { 'content-type': 'application/json' })
		},
		body: body === undefined ? undefined : JSON.stringify(body),
		redirect: 'manual'
	});
}

async function apiWrite(caller: Caller, method: string, url: string, body?: unknown) {
	const res = await http(caller, method, url, body);
	const text = await res.text();
	const expected = caller.kind === 'viewer' ? 403 : 401;
	return { refused: res.status === expected, how: `${res.status} ${text.slice(0, 120)}` };
}

/** Posts a form as a browser without JavaScript would (same-origin, so CSRF lets it through). */
async function formAction(
	caller: Caller,
	page: string,
	action: string,
	fields: Record<string, string>
): Promise<Outcome> {
	const res = await fetch(`${server.url}${page}${action === 'default' ? '' : `?/${action}`}`, {
		method: 'POST',
		headers: {
			...caller.headers,
			origin: server.url,
			accept: 'text/html',
			'content-type': 'application/x-www-form-urlencoded'
		},
		body: new URLSearchParams(fields).toString(),
		redirect: 'manual'
	});
	await res.text();
	const location = res.headers.get('location') ?? '';
	const refused =
		caller.kind === 'viewer'
			? res.status === 403
			: res.status === 303 && location.startsWith('/login');
	return { refused, how: `${res.status}${location ? ` → ${location}` : ''}` };
}

// ------------------------------------------------------------------- rows

const commandPayloads = (): Record<CommandName, object> => ({
	'incident:status': { status: 'mitigated' },
	'incident:severity': { severity: 'SEV4' },
	'role:assign': { seat: 'comms', userId: viewer.userId },
	'sme:add': { userId: viewer.userId },
	'sme:remove': { userId: responder.userId },
	'handover:propose': { toUserId: responder.userId, brief: 'take it' },
	'handover:accept': { handoverId, acknowledgement: 'mine now' },
	'handover:cancel': { handoverId },
	'timestamp:correct': { field: 'startedAt', value: Date.now() - 3_600_000, reason: 'oops' },
	'update:post': { text: 'All fixed (not really)' }
});

const COMMAND_ROUTE = 'api:POST /api/incidents/[id]/commands/[name]';

function rows(): Row[] {
	const commandNames = Object.keys(commandSchemas) as CommandName[];
	return [
		{
			kind: 'yjs',
			covers: 'yjs:stock-client',
			name: 'stock y-websocket client edits timeline, checklist and postmortem',
			async attempt(caller) {
				const doc = newIncidentDoc();
				const provider = stockClient(caller, doc);
				const viewerId = caller.kind === 'viewer' ? viewer.userId : '';
				const dropsBefore = viewerId ? droppedWrites(viewerId) : 0;
				const outcome = await new Promise<'synced' | 'refused'>((resolve) => {
					provider.on('sync', (synced: boolean) => synced && resolve('synced'));
					provider.on('connection-error', () => resolve('refused'));
					provider.on('connection-close', () => resolve('refused'));
				});
				if (outcome === 'refused') {
					provider.destroy();
					return { refused: true, how: 'connection refused' };
				}
				appendEntry(doc, { ts: Date.now(), kind: 'note', text: 'viewer note', author: viewerId });
				if (readChecklist(doc).length)
					doc.getArray<Y.Map<unknown>>('checklist').get(0).set('done', true);
				postmortemOf(doc).insert(0, 'viewer was here');
				// Frames on one socket are handled in order: once the responder sees this
				// awareness change, the edits sent before it have been handled (dropped).
				const marker = `after-edits-${Date.now()}`;
				provider.awareness.setLocalStateField('marker', marker);
				await waitFor(
					() => observer.provider.awareness.getStates().get(doc.clientID)?.marker === marker,
					{ what: 'edits handled' }
				);
				await waitFor(() => droppedWrites(viewerId) > dropsBefore, { what: 'write logged' });
				provider.destroy();
				return { refused: true, how: 'connected read-only; edits dropped and logged' };
			}
		},
		{
			kind: 'yjs',
			covers: 'yjs:sync-step-2',
			name: 'hand-made sync step 2 frame',
			attempt: (caller) => sendRawFrame(caller, 1)
		},
		{
			kind: 'yjs',
			covers: 'yjs:update',
			name: 'hand-made update frame',
			attempt: (caller) => sendRawFrame(caller, 2)
		},
		...commandNames.map((name): Row => ({
			kind: 'socket',
			covers: `socket:${name}`,
			name: `Socket.IO ${name}`,
			attempt: (caller) => socketCommand(caller, name, commandPayloads()[name])
		})),
		...commandNames.map((name): Row => ({
			kind: 'api',
			covers: COMMAND_ROUTE,
			name: `POST /api/incidents/:id/commands/${name}`,
			attempt: (caller) =>
				apiWrite(
					caller,
					'POST',
					`/api/incidents/${incidentId}/commands/${name}`,
					commandPayloads()[name]
				)
		})),
		{
			kind: 'api',
			covers: 'api:POST /api/incidents',
			name: 'POST /api/incidents (declare)',
			attempt: (caller) =>
				apiWrite(caller, 'POST', '/api/incidents', { title: 'Fake outage', severity: 'SEV1' })
		},
		{
			kind: 'api',
			covers: 'api:PATCH /api/users/[username]',
			name: 'PATCH /api/users/:username (make the viewer admin)',
			attempt: (caller) =>
				apiWrite(caller, 'PATCH', `/api/users/${viewer.username}`, { role: 'admin' })
		},
		{
			kind: 'api',
			covers: 'api:POST /api/incidents/[id]/share-links',
			name: 'POST /api/incidents/:id/share-links',
			attempt: (caller) =>
				apiWrite(caller, 'POST', `/api/incidents/${incidentId}/share-links`, { expiresIn: '7d' })
		},
		{
			kind: 'api',
			covers: 'api:DELETE /api/incidents/[id]/share-links/[linkId]',
			name: 'DELETE /api/incidents/:id/share-links/:linkId',
			attempt: (caller) =>
				apiWrite(caller, 'DELETE', `/api/incidents/${incidentId}/share-links/${targetLinkId}`)
		},
		{
			kind: 'api',
			covers: 'api:POST /api/incidents/[id]/postmortem/versions',
			name: 'POST /api/incidents/:id/postmortem/versions',
			attempt: (caller) =>
				apiWrite(caller, 'POST', `/api/incidents/${incidentId}/postmortem/versions`, {
					label: 'reader version'
				})
		},
		{
			kind: 'api',
			covers: 'api:POST /api/incidents/[id]/postmortem/versions/[versionId]/restore',
			name: 'POST /api/incidents/:id/postmortem/versions/:versionId/restore',
			attempt: (caller) =>
				apiWrite(
					caller,
					'POST',
					`/api/incidents/${incidentId}/postmortem/versions/anything/restore`
				)
		},
		{
			kind: 'api',
			covers: 'api:POST /api/incidents/[id]/postmortem/template',
			name: 'POST /api/incidents/:id/postmortem/template',
			attempt: (caller) =>
				apiWrite(caller, 'POST', `/api/incidents/${incidentId}/postmortem/template`)
		},
		{
			kind: 'action',
			covers: 'action:/incidents/new?/default',
			name: 'form: declare an incident',
			attempt: (caller) =>
				formAction(caller, '/incidents/new', 'default', { title: 'Fake', severity: 'SEV1' })
		},
		{
			kind: 'action',
			covers: 'action:/admin/users?/setRole',
			name: 'form: change an account role',
			attempt: (caller) =>
				formAction(caller, '/admin/users', 'setRole', {
					username: viewer.username,
					role: 'admin'
				})
		},
		{
			kind: 'action',
			covers: 'action:/admin/templates?/save',
			name: 'form: save checklist templates',
			attempt: (caller) => formAction(caller, '/admin/templates', 'save', { SEV1: 'do nothing' })
		},
		{
			kind: 'action',
			covers: 'action:/admin/postmortem-template?/save',
			name: 'form: save the postmortem template',
			attempt: (caller) =>
				formAction(caller, '/admin/postmortem-template', 'save', { body: '# pwned' })
		},
		{
			kind: 'action',
			covers: 'action:/admin/postmortem-template?/reset',
			name: 'form: reset the postmortem template',
			attempt: (caller) => formAction(caller, '/admin/postmortem-template', 'reset', {})
		},
		{
			kind: 'action',
			covers: 'action:/incidents/[id]/settings?/createLink',
			name: 'form: create a share link',
			attempt: (caller) =>
				formAction(caller, `/incidents/${incidentId}/settings`, 'createLink', {
					expiresIn: '7d'
				})
		},
		{
			kind: 'action',
			covers: 'action:/incidents/[id]/settings?/revokeLink',
			name: 'form: revoke a share link',
			attempt: (caller) =>
				formAction(caller, `/incidents/${incidentId}/settings`, 'revokeLink', {
					linkId: targetLinkId
				})
		}
	];
}

// ------------------------------------------------------------- state check

interface Fingerprint {
	incident: unknown;
	incidents: unknown;
	users: unknown;
	shareLinks: unknown;
	versions: unknown;
	templates: string[];
	doc: ReturnType<typeof readDoc>;
}

async function fingerprint(): Promise<Fingerprint> {
	const textareas = async (page: string) => {
		const html = await (
			await fetch(server.url + page, { headers: { cookie: admin.cookie } })
		).text();
		return [...html.matchAll(/<textarea[^>]*>([\s\S]*?)<\/textarea>/g)].map((m) => m[1]);
	};
	return {
		incident: (await responder.get(`/api/incidents/${incidentId}`)).body,
		incidents: (await responder.get('/api/incidents')).body,
		users: (await admin.get('/api/users')).body,
		shareLinks: (await admin.get(`/api/incidents/${incidentId}/share-links`)).body,
		versions: (await responder.get(`/api/incidents/${incidentId}/postmortem/versions`)).body,
		templates: [
			...(await textareas('/admin/templates')),
			...(await textareas('/admin/postmortem-template'))
		],
		doc: await freshDocState()
	};
}

// ------------------------------------------------------------------ setup

beforeAll(async () => {
	server = await startServer();
	admin = await signedUp(server.url, 'mxadmin');
	responder = await signedUp(server.url, 'mxresponder');
	viewer = await signedUp(server.url, 'mxviewer');
	expect((await admin.patch(`/api/users/${viewer.username}`, { role: 'viewer' })).status).toBe(200);
	const res = await admin.post<{ id: string }>('/api/incidents', {
		title: 'Read-only matrix',
		severity: 'SEV2'
	});
	incidentId = res.body.id;
	expect(
		(
			await responder.post(`/api/incidents/${incidentId}/commands/sme:add`, {
				userId: responder.userId
			})
		).status
	).toBe(200);
	const proposed = await admin.post<{ pendingHandover: { id: string } }>(
		`/api/incidents/${incidentId}/commands/handover:propose`,
		{ toUserId: responder.userId, brief: 'Over to you when ready.' }
	);
	handoverId = proposed.body.pendingHandover.id;
	const link = await admin.post<{ token: string }>(`/api/incidents/${incidentId}/share-links`, {
		expiresIn: '24h',
		label: 'for the matrix'
	});
	shareToken = link.body.token;
	const target = await admin.post<{ link: { id: string } }>(
		`/api/incidents/${incidentId}/share-links`,
		{ expiresIn: '1h', label: 'revoke target' }
	);
	targetLinkId = target.body.link.id;

	callers = [
		{ kind: 'viewer', headers: { cookie: viewer.cookie }, query: '' },
		{
			kind: 'share link holder',
			headers: { cookie: `warroom_session=${shareToken}`, authorization: `Bearer ${shareToken}` },
			query: `token=${shareToken}`
		},
		{ kind: 'signed out', headers: {}, query: '' }
	];

	// What other clients see: a responder's live document and command channel.
	const doc = newIncidentDoc();
	const provider = stockClient({ headers: { cookie: responder.cookie }, query: '' }, doc);
	await waitFor(() => provider.synced, { what: 'observer sync' });
	observer = { doc, provider, updates: 0 };
	doc.on('update', () => observer.updates++);
	observerSocket = await commandSocket(server.url, responder.cookie);
	expect(await send(observerSocket, 'incident:join', { incidentId })).toMatchObject({ ok: true });
	observerSocket.on('incident:changed', () => incidentChanges++);

	before = await fingerprint();
}, 60_000);

afterAll(async () => {
	for (const s of openSockets.values()) s.close();
	observerSocket?.close();
	observer?.provider.destroy();
	await server?.dispose();
});

// ------------------------------------------------------------------ tests

const CALLER_KINDS: CallerKind[] = ['viewer', 'share link holder', 'signed out'];

describe.each(CALLER_KINDS)('a %s', (kind) => {
	// Rows read the fixture's ids only when they run, so they can be listed before setup.
	it.each(rows().map((r) => [`${r.kind}: ${r.name}`, r] as const))(
		'is refused: %s',
		async (_label, row) => {
			const caller = callers.find((c) => c.kind === kind)!;
			const outcome = await row.attempt(caller);
			expect(outcome, `${kind} → ${row.name}: ${outcome.how}`).toMatchObject({ refused: true });
		}
	);
});

describe('after every attempt', () => {
	it('no other client heard a change', () => {
		expect(observer.updates).toBe(0);
		expect(incidentChanges).toBe(0);
	});

	it('the database and the document are as they were', async () => {
		expect(await fingerprint()).toEqual(before);
	});

	it('and still are after a restart (nothing was stored)', async () => {
		observer.provider.destroy();
		await server.restart();
		const after = await fingerprint();
		expect(after.doc).toEqual(before.doc);
		expect(after.incident).toEqual(before.incident);
		expect(after.users).toEqual(before.users);
	});
});

describe('the checks themselves', () => {
	// Runs last: it changes state on purpose, to show an accepted write would be noticed.
	it('report an admin’s writes as accepted', async () => {
		const control: Caller = {
			kind: 'admin (control)',
			headers: { cookie: admin.cookie },
			query: ''
		};
		const byName = (name: string) => rows().find((r) => r.name === name)!;
		for (const name of [
			'Socket.IO update:post',
			'POST /api/incidents (declare)',
			'form: declare an incident'
		]) {
			const outcome = await byName(name).attempt(control);
			expect(outcome, `${name}: ${outcome.how}`).toMatchObject({ refused: false });
		}
	});
});

// ------------------------------------------------------------------ guard

/** `/incidents/[id]/settings` from `src/routes/(app)/incidents/[id]/settings/+page.server.ts`. */
function routePath(file: string): string {
	const rel = path
		.relative(path.join(ROOT, 'src', 'routes'), path.dirname(file))
		.split(path.sep)
		.filter((segment) => !/^\(.*\)$/.test(segment))
		.join('/');
	return `/${rel}`;
}

function discoverWritePaths(): string[] {
	const found: string[] = ['yjs:stock-client', 'yjs:sync-step-2', 'yjs:update'];
	for (const name of Object.keys(commandSchemas)) found.push(`socket:${name}`);
	const routes = path.join(ROOT, 'src', 'routes');
	for (const rel of readdirSync(routes, { recursive: true }) as string[]) {
		const file = path.join(routes, rel);
		const base = path.basename(file);
		if (base === '+server.ts' || base === '+server.js') {
			const source = readFileSync(file, 'utf8');
			for (const m of source.matchAll(
				/export\s+(?:const|(?:async\s+)?function)\s+(POST|PATCH|PUT|DELETE)\b/g
			))
				found.push(`api:${m[1]} ${routePath(file)}`);
		}
		if (base === '+page.server.ts' || base === '+page.server.js') {
			const source = readFileSync(file, 'utf8');
			const at = source.search(/export\s+const\s+actions\b/);
			if (at < 0) continue;
			const body = source.slice(at);
			for (const m of body.matchAll(/^\t(\w+)\s*:\s*(?:async\b|\()/gm))
				found.push(`action:${routePath(file)}?/${m[1]}`);
		}
	}
	return [...new Set(found)].sort();
}

describe('the matrix guard', () => {
	it('has a row (or a stated exemption) for every write path in the code', () => {
		const covered = new Set([...rows().map((r) => r.covers), ...Object.keys(EXEMPT)]);
		const missing = discoverWritePaths().filter((p) => !covered.has(p));
		expect(missing, 'write paths without a row in read-only-matrix.test.ts').toEqual([]);
	});

	it('has no row for a write path that no longer exists', () => {
		const existing = new Set(discoverWritePaths());
		const stale = [...new Set([...rows().map((r) => r.covers), ...Object.keys(EXEMPT)])].filter(
			(p) => !existing.has(p)
		);
		expect(stale).toEqual([]);
	});

	it('finds the write paths it should (the discovery itself works)', () => {
		const found = discoverWritePaths();
		expect(found).toContain('api:POST /api/incidents');
		expect(found).toContain('action:/admin/users?/setRole');
		expect(found).toContain('socket:update:post');
		expect(found.filter((p) => p.startsWith('socket:'))).toHaveLength(
			Object.keys(commandSchemas).length
		);
	});
});
