import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';
import { warroomRealtime } from './server/vite-plugin';

export default defineConfig({
	plugins: [warroomRealtime(), sveltekit()]
});
