// Integration and browser tests drive the production build: make sure it is current.
import { execSync } from 'node:child_process';
import path from 'node:path';

export default function setup(): void {
	execSync('node scripts/build-if-needed.js', {
		cwd: path.resolve(import.meta.dirname, '..', '..'),
		stdio: 'inherit'
	});
}
