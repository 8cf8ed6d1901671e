/**
 * Socket.IO: the command channel. A client joins an incident's room to hear
 * `incident:changed`; commands are events with an acknowledgement
 * `{ ok: true, incident } | { ok: false, error, code }`. Every payload is
 * validated and the caller re-checked against the permission rules each time.
 */
import type { Kysely } from 'kysely';
import type { Server, Socket } from 'socket.io';
import { z } from 'zod';
import { COMMAND_NAMES, loadActor, runCommand } from '../src/lib/server/command-runner';
import type { Database } from '../src/lib/server/db/schema';
import { getIncident } from '../src/lib/server/incidents';
import { log } from '../src/lib/server/log';

export const incidentRoom = (incidentId: string) => `incident:${incidentId}`;

const joinSchema = z.object({ incidentId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) });
const KNOWN_EVENTS = new Set<string>(['incident:join', 'incident:leave', ...COMMAND_NAMES]);

function reply(ack: unknown, response: unknown): void {
	if (typeof ack === 'function') ack(response);
}

export function registerCommandHandlers(io: Server, db: Kysely<Database>): void {
	io.on('connection', (socket: Socket) => {
		const userId: string = socket.data.user.id;

		socket.on('incident:join', async (payload: unknown, ack?: unknown) => {
			const parsed = joinSchema.safeParse(payload);
			if (!parsed.success)
				return reply(ack, { ok: false, error: 'incidentId: must be an incident id' });
			try {
				const incident = await getIncident(db, parsed.data.incidentId);
				if (!incident)
					return reply(ack, { ok: false, error: 'No such incident.', code: 'not_found' });
				await socket.join(incidentRoom(incident.id));
				reply(ack, { ok: true, incident });
			} catch (err) {
				log.error('socket.join_failed', { userId, err });
				reply(ack, { ok: false, error: 'The server could not load this incident. Try again.' });
			}
		});

		socket.on('incident:leave', async (payload: unknown, ack?: unknown) => {
			const parsed = joinSchema.safeParse(payload);
			if (parsed.success) await socket.leave(incidentRoom(parsed.data.incidentId));
			reply(ack, { ok: parsed.success });
		});

		for (const name of COMMAND_NAMES) {
			socket.on(name, async (payload: unknown, ack?: unknown) => {
				try {
					const actor = await loadActor(db, userId);
					if (!actor) return reply(ack, { ok: false, error: 'Your account no longer exists.' });
					const result = await runCommand(db, actor, name, payload);
					if (!result.ok) {
						log.info('socket.command_refused', {
							userId,
							command: name,
							code: result.code,
							reason: result.error
						});
						return reply(ack, { ok: false, error: result.error, code: result.code });
					}
					reply(ack, { ok: true, incident: result.incident });
				} catch (err) {
					log.error('socket.command_failed', { userId, command: name, err });
					reply(ack, {
						ok: false,
						error: 'The server could not complete this command. Try again.'
					});
				}
			});
		}

		socket.onAny((event: unknown, ...args: unknown[]) => {
			if (typeof event === 'string' && KNOWN_EVENTS.has(event)) return;
			const name = String(event).slice(0, 64);
			log.warn('socket.unknown_event', { userId, event: name });
			const response = { ok: false, error: `Unknown event "${name}".` };
			const ack = args[args.length - 1];
			if (typeof ack === 'function') reply(ack, response);
			else socket.emit('warroom:error', response);
		});
	});
}

/** Pushes the current incident state to everyone who joined its room. */
export async function broadcastIncident(
	io: Server,
	db: Kysely<Database>,
	incidentId: string
): Promise<void> {
	const incident = await getIncident(db, incidentId);
	if (incident) io.to(incidentRoom(incidentId)).emit('incident:changed', { incident });
}
