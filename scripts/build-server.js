// Compiles the realtime server (server/index.ts and its worker threads) to
// plain JavaScript in build-server/, which `npm start` runs. Running the
// TypeScript through tsx in production cost a loader thread per isolate and
// about 120 MB of memory; tests and `npm run dev` still run the sources.
import { build } from 'esbuild';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

await build({
	absWorkingDir: root,
	// Each worker is its own entry: server/worker-rpc.ts starts `<name>.js` beside index.js.
	entryPoints: ['server/index.ts', 'server/fold-worker.ts', 'server/sqlite-log-writer-worker.ts'],
	outdir: 'build-server',
	bundle: true,
	platform: 'node',
	format: 'esm',
	target: 'node20',
	// Dependencies load from node_modules as usual; only our own code is bundled.
	packages: 'external',
	sourcemap: true,
	logLevel: 'warning'
});
