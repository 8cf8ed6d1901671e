/**
 * Production entry: one HTTP server on one port serving the built SvelteKit
 * app, Socket.IO and the Yjs endpoint. Migrates the database before it
 * listens and shuts down gracefully (flushing rooms) on SIGTERM/SIGINT.
 */
import http from 'node:http';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { closeDatabase, database } from '../src/lib/server/db';
import { log } from '../src/lib/server/log';
import { attachRealtime } from './realtime';

type NodeHandler = (req: http.IncomingMessage, res: http.ServerResponse, next: () => void) => void;

const handlerFile = fileURLToPath(new URL('../build/handler.js', import.meta.url));
if (!existsSync(handlerFile)) {
	console.error(
		'build/handler.js is missing: run `npm run build` first (npm start does it for you).'
	);
	process.exit(1);
}

process.on('unhandledRejection', (err) => log.error('process.unhandled_rejection', { err }));

// adapter-node assumes https when it has neither ORIGIN nor PROTOCOL_HEADER, which
// makes every form POST on plain http://localhost fail its CSRF check. This server
// speaks plain http, so say so in a header of our own (overwritten on every request,
// so a client cannot spoof it). Behind a TLS proxy, set ORIGIN or PROTOCOL_HEADER.
const OWN_PROTOCOL_HEADER = 'x-warroom-protocol';
const tellProtocol = !process.env.ORIGIN && !process.env.PROTOCOL_HEADER;
if (tellProtocol) process.env.PROTOCOL_HEADER = OWN_PROTOCOL_HEADER;

const handle = await database();
const { handler } = (await import(handlerFile)) as { handler: NodeHandler };

const server = http.createServer((req, res) => {
	if (tellProtocol) req.headers[OWN_PROTOCOL_HEADER] = 'http';
	handler(req, res, () => {
		res.statusCode = 404;
		res.end('Not found');
	});
});
const realtime = attachRealtime(server, {
	db: handle.db,
	sqliteFile: handle.sqliteFile
});

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST || '0.0.0.0';
server.listen(port, host, () => {
	const address = server.address();
	const actualPort = typeof address === 'object' && address ? address.port : port;
	log.info('server.listening', { port: actualPort, host, database: handle.dialect });
});

let stopping = false;
async function shutdown(signal: string): Promise<void> {
	if (stopping) return;
	stopping = true;
	log.info('server.stopping', { signal });
	const timeout = setTimeout(() => {
		log.error('server.shutdown_timeout', {});
		process.exit(1);
	}, 10_000);
	timeout.unref();
	server.close();
	server.closeIdleConnections();
	await realtime.close().catch((err) => log.error('server.realtime_close_failed', { err }));
	await closeDatabase().catch((err) => log.error('server.database_close_failed', { err }));
	server.closeAllConnections();
	log.info('server.stopped', { signal });
	process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
