// Runs `vite build` when build/ is missing or older than the sources, and
// compiles the realtime server (quick enough to do every time), so `npm start`
// works on a fresh clone and after a pull without a manual build.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const marker = path.join(root, 'build', 'handler.js');

/** @param {string} dir @returns {number} */
function newest(dir) {
	let latest = 0;
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		latest = Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
	}
	return latest;
}

const inputs = ['src', 'static', 'svelte.config.js', 'vite.config.ts', 'package.json'];
const sourceTime = Math.max(
	...inputs
		.map((p) => path.join(root, p))
		.filter(existsSync)
		.map((p) => (statSync(p).isDirectory() ? newest(p) : statSync(p).mtimeMs))
);
if (!existsSync(marker) || statSync(marker).mtimeMs < sourceTime) {
	console.log('Building Warroom (vite build)…');
	// The realtime server's imports in vite.config.ts trip Vite's advisory about its future native config loader.
	execSync('npx vite build', {
		cwd: root,
		stdio: 'inherit',
		env: { VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true', ...process.env }
	});
}
execSync('node scripts/build-server.js', { cwd: root, stdio: 'inherit' });
