import { describe, expect, it } from 'vitest';
import * as can from '../../src/lib/incident/permissions';
import type { IncidentRoster } from '../../src/lib/incident/roles';

const roster: IncidentRoster = { commander: 'ic', comms: 'comms', scribe: null, smes: ['sme'] };
const admin = { id: 'boss', role: 'admin' as const };
const ic = { id: 'ic', role: 'responder' as const };
const responder = { id: 'r', role: 'responder' as const };
const comms = { id: 'comms', role: 'responder' as const };
const viewer = { id: 'v', role: 'viewer' as const };

describe('permissions', () => {
	it('lets responders and admins declare, not viewers', () => {
		expect(can.canDeclare(responder).ok).toBe(true);
		expect(can.canDeclare(admin).ok).toBe(true);
		expect(can.canDeclare(viewer)).toEqual({
			ok: false,
			reason: expect.stringMatching(/read-only/)
		});
	});

	it('keeps viewers out of the document', () => {
		expect(can.canWriteDocument(viewer).ok).toBe(false);
		expect(can.canWriteDocument(responder).ok).toBe(true);
	});

	it('gives status and severity to the commander and admins only', () => {
		expect(can.canCommand(ic, roster).ok).toBe(true);
		expect(can.canCommand(admin, roster).ok).toBe(true);
		expect(can.canCommand(responder, roster)).toEqual({
			ok: false,
			reason: expect.stringMatching(/commander/)
		});
		expect(can.canCommand(comms, roster).ok).toBe(false);
		expect(can.canCommand({ id: 'ic', role: 'viewer' }, roster).ok).toBe(false);
	});

	it('lets only the commander or an admin hand over command, never to the current commander', () => {
		expect(can.canHandOver(ic, roster, 'r').ok).toBe(true);
		expect(can.canHandOver(admin, roster, 'r').ok).toBe(true);
		expect(can.canHandOver(responder, roster, 'r').ok).toBe(false);
		expect(can.canHandOver(ic, roster, 'ic').ok).toBe(false);
	});

	it('lets only the addressee accept a handover', () => {
		expect(can.canAcceptHandover(responder, 'r').ok).toBe(true);
		expect(can.canAcceptHandover(ic, 'r').ok).toBe(false);
		expect(can.canAcceptHandover(viewer, 'v').ok).toBe(false);
	});

	it('lets a responder claim an empty seat but not a taken one or for someone else', () => {
		expect(can.canAssignSeat(responder, roster, 'scribe', 'r').ok).toBe(true);
		expect(can.canAssignSeat(responder, roster, 'comms', 'r').ok).toBe(false);
		expect(can.canAssignSeat(responder, roster, 'scribe', 'someone').ok).toBe(false);
		expect(can.canAssignSeat(ic, roster, 'comms', 'someone').ok).toBe(true);
		expect(can.canAssignSeat(viewer, roster, 'scribe', 'v').ok).toBe(false);
	});

	it('lets the holder, the commander or an admin release a seat', () => {
		expect(can.canReleaseSeat(comms, roster, 'comms').ok).toBe(true);
		expect(can.canReleaseSeat(ic, roster, 'comms').ok).toBe(true);
		expect(can.canReleaseSeat(responder, roster, 'comms').ok).toBe(false);
	});

	it('lets anyone add or remove themselves as SME, the commander anyone', () => {
		expect(can.canChangeSme(responder, roster, 'r').ok).toBe(true);
		expect(can.canChangeSme(responder, roster, 'sme').ok).toBe(false);
		expect(can.canChangeSme(ic, roster, 'sme').ok).toBe(true);
		expect(can.canChangeSme(viewer, roster, 'v').ok).toBe(false);
	});

	it('gives stakeholder updates to the comms lead, the commander and admins', () => {
		expect(can.canPostStakeholderUpdate(comms, roster).ok).toBe(true);
		expect(can.canPostStakeholderUpdate(ic, roster).ok).toBe(true);
		expect(can.canPostStakeholderUpdate(admin, roster).ok).toBe(true);
		expect(can.canPostStakeholderUpdate(responder, roster).ok).toBe(false);
	});

	it('keeps administration to admins', () => {
		expect(can.canAdminister(admin).ok).toBe(true);
		expect(can.canAdminister(ic).ok).toBe(false);
	});
});
