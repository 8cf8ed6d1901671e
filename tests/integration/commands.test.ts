/** Every command rule over Socket.IO, one test per rule, refusals included. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { startServer, type TestServer } from '../support/server';
import { signedUp } from '../support/http';
import { commandSocket, send } from '../support/socket';

let server: TestServer;
type Person = { userId: string; cookie: string; socket: Socket };
let admin: Person, ic: Person, other: Person, third: Person, viewer: Person;

async function person(name: string): Promise<Person> {
	const client = await signedUp(server.url, name);
	return {
		userId: client.userId,
		cookie: client.cookie,
		socket: await commandSocket(server.url, client.cookie)
	};
}

async function declare(by: Person = ic, severity = 'SEV2'): Promise<string> {
	const res = await fetch(`${server.url}/api/incidents`, {
		method: 'POST',
		headers: { cookie: by.cookie, 'content-type': 'application/json' },
		body: JSON.stringify({ title: 'Command rules', severity })
	});
	return ((await res.json()) as { id: string }).id;
}

/** The incident as any other client reads it back through the API. */
async function current(incidentId: string): Promise<Record<string, unknown>> {
	const res = await fetch(`${server.url}/api/incidents/${incidentId}`, {
		headers: { cookie: admin.cookie }
	});
	return (await res.json()) as Record<string, unknown>;
}

beforeAll(async () => {
	server = await startServer();
	admin = await person('admin');
	ic = await person('commander');
	other = await person('other');
	third = await person('third');
	viewer = await person('viewer');
	await fetch(`${server.url}/api/users/viewer`, {
		method: 'PATCH',
		headers: { cookie: admin.cookie, 'content-type': 'application/json' },
		body: JSON.stringify({ role: 'viewer' })
	});
});
afterAll(async () => {
	for (const p of [admin, ic, other, third, viewer]) p?.socket.close();
	await server?.dispose();
});

describe('status and severity', () => {
	it('lets the commander move status forward and back, stamping mitigation', async () => {
		const id = await declare();
		const mitigated = await send(ic.socket, 'incident:status', {
			incidentId: id,
			status: 'mitigated'
		});
		expect(mitigated).toMatchObject({ ok: true, incident: { status: 'mitigated' } });
		expect(typeof mitigated.incident?.mitigatedAt).toBe('number');
		const back = await send(ic.socket, 'incident:status', {
			incidentId: id,
			status: 'investigating'
		});
		expect(back).toMatchObject({
			ok: true,
			incident: { status: 'investigating', mitigatedAt: null }
		});
	});

	it('refuses status changes from a responder who is not commander', async () => {
		const id = await declare();
		const res = await send(other.socket, 'incident:status', { incidentId: id, status: 'resolved' });
		expect(res).toMatchObject({
			ok: false,
			code: 'forbidden',
			error: expect.stringMatching(/commander/)
		});
		expect(await current(id)).toMatchObject({ status: 'investigating' });
	});

	it('lets an admin change status without being commander', async () => {
		const id = await declare();
		const res = await send(admin.socket, 'incident:status', {
			incidentId: id,
			status: 'identified'
		});
		expect(res).toMatchObject({ ok: true, incident: { status: 'identified' } });
	});

	it('refuses a viewer', async () => {
		const id = await declare();
		const res = await send(viewer.socket, 'incident:status', {
			incidentId: id,
			status: 'resolved'
		});
		expect(res).toMatchObject({
			ok: false,
			code: 'forbidden',
			error: expect.stringMatching(/read-only/)
		});
	});

	it('refuses a move to the status it already has', async () => {
		const id = await declare();
		const res = await send(ic.socket, 'incident:status', {
			incidentId: id,
			status: 'investigating'
		});
		expect(res).toMatchObject({ ok: false, code: 'conflict' });
	});

	it('lets the commander change severity and refuses anyone else', async () => {
		const id = await declare();
		expect(
			await send(other.socket, 'incident:severity', { incidentId: id, severity: 'SEV1' })
		).toMatchObject({
			ok: false,
			code: 'forbidden'
		});
		expect(
			await send(ic.socket, 'incident:severity', { incidentId: id, severity: 'SEV1' })
		).toMatchObject({
			ok: true,
			incident: { severity: 'SEV1' }
		});
	});

	it('answers an unknown incident with not_found', async () => {
		const res = await send(ic.socket, 'incident:status', {
			incidentId: 'nope',
			status: 'resolved'
		});
		expect(res).toMatchObject({ ok: false, code: 'not_found' });
	});
});

describe('roles', () => {
	it('lets a responder claim an open seat', async () => {
		const id = await declare();
		const res = await send(other.socket, 'role:assign', {
			incidentId: id,
			seat: 'scribe',
			userId: other.userId
		});
		expect(res).toMatchObject({ ok: true, incident: { roles: { scribe: { id: other.userId } } } });
	});

	it('refuses a claim on a taken seat', async () => {
		const id = await declare();
		await send(other.socket, 'role:assign', {
			incidentId: id,
			seat: 'comms',
			userId: other.userId
		});
		const res = await send(third.socket, 'role:assign', {
			incidentId: id,
			seat: 'comms',
			userId: third.userId
		});
		expect(res).toMatchObject({
			ok: false,
			code: 'forbidden',
			error: expect.stringMatching(/taken/)
		});
	});

	it('refuses a responder assigning a seat to someone else', async () => {
		const id = await declare();
		const res = await send(other.socket, 'role:assign', {
			incidentId: id,
			seat: 'comms',
			userId: third.userId
		});
		expect(res).toMatchObject({ ok: false, code: 'forbidden' });
	});

	it('lets the commander assign any seat, even a taken one', async () => {
		const id = await declare();
		await send(other.socket, 'role:assign', {
			incidentId: id,
			seat: 'comms',
			userId: other.userId
		});
		const res = await send(ic.socket, 'role:assign', {
			incidentId: id,
			seat: 'comms',
			userId: third.userId
		});
		expect(res).toMatchObject({ ok: true, incident: { roles: { comms: { id: third.userId } } } });
	});

	it('lets the holder release a seat and refuses a bystander', async () => {
		const id = await declare();
		await send(other.socket, 'role:assign', {
			incidentId: id,
			seat: 'scribe',
			userId: other.userId
		});
		expect(
			await send(third.socket, 'role:assign', { incidentId: id, seat: 'scribe', userId: null })
		).toMatchObject({
			ok: false,
			code: 'forbidden'
		});
		expect(
			await send(other.socket, 'role:assign', { incidentId: id, seat: 'scribe', userId: null })
		).toMatchObject({
			ok: true,
			incident: { roles: { scribe: null } }
		});
	});

	it('lets anyone join as SME, only the commander add or remove others', async () => {
		const id = await declare();
		expect(
			await send(other.socket, 'sme:add', { incidentId: id, userId: other.userId })
		).toMatchObject({ ok: true });
		expect(
			await send(other.socket, 'sme:add', { incidentId: id, userId: third.userId })
		).toMatchObject({
			ok: false,
			code: 'forbidden'
		});
		expect(
			await send(ic.socket, 'sme:add', { incidentId: id, userId: third.userId })
		).toMatchObject({ ok: true });
		const removed = await send(ic.socket, 'sme:remove', { incidentId: id, userId: other.userId });
		expect(removed).toMatchObject({ ok: true });
		expect(
			(removed.incident as { roles: { smes: { id: string }[] } }).roles.smes.map((s) => s.id)
		).toEqual([third.userId]);
	});
});

describe('handover of command', () => {
	it('moves command only when the incoming commander accepts the brief', async () => {
		const id = await declare();
		const offered = await send(ic.socket, 'handover:propose', {
			incidentId: id,
			toUserId: other.userId,
			brief: 'DB failover in flight; next decision: roll back deploy 4512 at 14:30'
		});
		expect(offered).toMatchObject({
			ok: true,
			incident: { roles: { commander: { id: ic.userId } } }
		});
		const handover = (offered.incident as { pendingHandover: { id: string; to: { id: string } } })
			.pendingHandover;
		expect(handover.to.id).toBe(other.userId);
		// Someone else cannot accept it.
		expect(
			await send(third.socket, 'handover:accept', {
				incidentId: id,
				handoverId: handover.id,
				acknowledgement: 'mine'
			})
		).toMatchObject({ ok: false, code: 'forbidden' });
		const accepted = await send(other.socket, 'handover:accept', {
			incidentId: id,
			handoverId: handover.id,
			acknowledgement: 'Got it, I have command'
		});
		expect(accepted).toMatchObject({
			ok: true,
			incident: { roles: { commander: { id: other.userId } }, pendingHandover: null }
		});
		// The old commander has lost the right to set status.
		expect(
			await send(ic.socket, 'incident:status', { incidentId: id, status: 'resolved' })
		).toMatchObject({
			ok: false,
			code: 'forbidden'
		});
	});

	it('refuses a handover offered by someone who is not commander', async () => {
		const id = await declare();
		const res = await send(other.socket, 'handover:propose', {
			incidentId: id,
			toUserId: other.userId,
			brief: 'me'
		});
		expect(res).toMatchObject({ ok: false, code: 'forbidden' });
	});

	it('requires a brief', async () => {
		const id = await declare();
		const res = await send(ic.socket, 'handover:propose', {
			incidentId: id,
			toUserId: other.userId,
			brief: '  '
		});
		expect(res).toMatchObject({ ok: false, error: expect.stringMatching(/^brief: /) });
	});

	it('refuses a handover to a viewer', async () => {
		const id = await declare();
		const res = await send(ic.socket, 'handover:propose', {
			incidentId: id,
			toUserId: viewer.userId,
			brief: 'b'
		});
		expect(res).toMatchObject({ ok: false, code: 'invalid' });
	});

	it('lets the recipient decline, after which it cannot be accepted', async () => {
		const id = await declare();
		const offered = await send(ic.socket, 'handover:propose', {
			incidentId: id,
			toUserId: other.userId,
			brief: 'b'
		});
		const handoverId = (offered.incident as { pendingHandover: { id: string } }).pendingHandover.id;
		expect(
			await send(other.socket, 'handover:cancel', { incidentId: id, handoverId })
		).toMatchObject({ ok: true });
		expect(
			await send(other.socket, 'handover:accept', { incidentId: id, handoverId })
		).toMatchObject({
			ok: false,
			code: 'conflict'
		});
	});
});

describe('timestamp corrections', () => {
	it('lets the commander correct impact start with a reason, and refuses others', async () => {
		const id = await declare();
		const value = Date.now() - 3_600_000;
		expect(
			await send(other.socket, 'timestamp:correct', {
				incidentId: id,
				field: 'startedAt',
				value,
				reason: 'graphs'
			})
		).toMatchObject({ ok: false, code: 'forbidden' });
		const res = await send(ic.socket, 'timestamp:correct', {
			incidentId: id,
			field: 'startedAt',
			value,
			reason: 'Error-rate graph shows the first 500s at this time'
		});
		expect(res).toMatchObject({ ok: true, incident: { startedAt: value } });
	});

	it('requires a reason and refuses an impossible order', async () => {
		const id = await declare();
		expect(
			await send(ic.socket, 'timestamp:correct', {
				incidentId: id,
				field: 'startedAt',
				value: Date.now() - 1000,
				reason: ''
			})
		).toMatchObject({ ok: false, error: expect.stringMatching(/^reason: /) });
		expect(
			await send(ic.socket, 'timestamp:correct', {
				incidentId: id,
				field: 'mitigatedAt',
				value: Date.now() - 1000,
				reason: 'x'
			})
		).toMatchObject({ ok: false, code: 'conflict' });
	});
});

describe('stakeholder updates', () => {
	it('lets the comms lead and the commander post, and refuses other responders', async () => {
		const id = await declare();
		await send(ic.socket, 'role:assign', { incidentId: id, seat: 'comms', userId: other.userId });
		expect(
			await send(other.socket, 'update:post', { incidentId: id, text: 'We are investigating.' })
		).toMatchObject({ ok: true });
		expect(
			await send(ic.socket, 'update:post', { incidentId: id, text: 'Fix is rolling out.' })
		).toMatchObject({ ok: true });
		expect(
			await send(third.socket, 'update:post', { incidentId: id, text: 'Hello' })
		).toMatchObject({
			ok: false,
			code: 'forbidden'
		});
	});
});

describe('live fan-out', () => {
	it('tells every client that joined the incident about a change', async () => {
		const id = await declare();
		await send(other.socket, 'incident:join', { incidentId: id });
		const heard = new Promise<{ incident: { status: string } }>((resolve) =>
			other.socket.once('incident:changed', resolve)
		);
		await send(ic.socket, 'incident:status', { incidentId: id, status: 'identified' });
		expect((await heard).incident.status).toBe('identified');
	});
});
