/**
 * Development: attaches the same realtime server to Vite's dev HTTP server,
 * so `npm run dev` and `npm start` run one code path.
 */
import type { Plugin } from 'vite';
import { database } from '../src/lib/server/db';
import { attachRealtime } from './realtime';

export function warroomRealtime(): Plugin {
	return {
		name: 'warroom-realtime',
		async configureServer(server) {
			if (!server.httpServer) return;
			const handle = await database();
			attachRealtime(server.httpServer as import('node:http').Server, {
				db: handle.db,
				sqliteFile: handle.sqliteFile
			});
		}
	};
}
