/** Runs a named incident command from an untrusted payload: validate, then dispatch. */
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { commandSchemas, describeIssues, type CommandName } from '../incident/command-schemas';
import type { Database } from './db/schema';
import * as commands from './incident-commands';
import type { CommandActor, CommandResult } from './incident-commands';

type Runner<N extends CommandName> = (
	db: Kysely<Database>,
	actor: CommandActor,
	payload: z.output<(typeof commandSchemas)[N]>
) => Promise<CommandResult>;

const runners: { [N in CommandName]: Runner<N> } = {
	'incident:status': (db, a, p) => commands.setStatus(db, a, p.incidentId, p.status),
	'incident:severity': (db, a, p) => commands.setSeverity(db, a, p.incidentId, p.severity),
	'role:assign': (db, a, p) => commands.assignSeat(db, a, p.incidentId, p.seat, p.userId),
	'sme:add': (db, a, p) => commands.changeSme(db, a, p.incidentId, p.userId, true),
	'sme:remove': (db, a, p) => commands.changeSme(db, a, p.incidentId, p.userId, false),
	'handover:propose': (db, a, p) =>
		commands.proposeHandover(db, a, p.incidentId, p.toUserId, p.brief),
	'handover:accept': (db, a, p) =>
		commands.acceptHandover(db, a, p.incidentId, p.handoverId, p.acknowledgement),
	'handover:cancel': (db, a, p) => commands.cancelHandover(db, a, p.incidentId, p.handoverId),
	'timestamp:correct': (db, a, p) =>
		commands.correctTimestamp(db, a, p.incidentId, p.field, p.value, p.reason),
	'update:post': (db, a, p) => commands.postStakeholderUpdate(db, a, p.incidentId, p.text)
};

export const COMMAND_NAMES = Object.keys(commandSchemas) as CommandName[];

export function isCommandName(name: string): name is CommandName {
	return Object.hasOwn(commandSchemas, name);
}

export async function runCommand(
	db: Kysely<Database>,
	actor: CommandActor,
	name: CommandName,
	payload: unknown
): Promise<CommandResult> {
	const parsed = commandSchemas[name].safeParse(payload);
	if (!parsed.success) return { ok: false, code: 'invalid', error: describeIssues(parsed.error) };
	const runner = runners[name] as Runner<CommandName>;
	return runner(db, actor, parsed.data as never);
}

/** Re-reads the caller: an admin may have changed their role since the session began. */
export async function loadActor(
	db: Kysely<Database>,
	userId: string
): Promise<CommandActor | null> {
	const row = await db
		.selectFrom('users')
		.select(['id', 'role', 'display_name'])
		.where('id', '=', userId)
		.executeTakeFirst();
	return row ? { id: row.id, role: row.role, displayName: row.display_name } : null;
}
