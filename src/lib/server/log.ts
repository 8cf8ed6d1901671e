/**
 * Structured logs: one JSON object per line, with an `event` name and whatever
 * identifies it (incidentId, userId), so an operator can grep them mid-incident.
 * Silence with LOG_LEVEL=silent (tests do for noisy paths).
 */
type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level | 'silent', number> = {
	debug: 10,
	info: 20,
	warn: 30,
	error: 40,
	silent: 99
};

function threshold(): number {
	const configured = (process.env.LOG_LEVEL ?? 'info') as Level | 'silent';
	return ORDER[configured] ?? ORDER.info;
}

export type LogFields = Record<string, unknown>;

function write(level: Level, event: string, fields: LogFields = {}): void {
	if (ORDER[level] < threshold()) return;
	const line: LogFields = { t: new Date().toISOString(), level, event, ...fields };
	if (fields.err instanceof Error)
		line.err = { message: fields.err.message, stack: fields.err.stack };
	const out = level === 'error' || level === 'warn' ? process.stderr : process.stdout;
	out.write(JSON.stringify(line) + '\n');
}

export const log = {
	debug: (event: string, fields?: LogFields) => write('debug', event, fields),
	info: (event: string, fields?: LogFields) => write('info', event, fields),
	warn: (event: string, fields?: LogFields) => write('warn', event, fields),
	error: (event: string, fields?: LogFields) => write('error', event, fields)
};
export type Logger = typeof log;
