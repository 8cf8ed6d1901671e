/**
 * JavaScript a page makes the browser load, gzipped as it would travel: the
 * module scripts and modulepreloads of its HTML (tags and `Link` header), the
 * `import("…")` entry points of SvelteKit's boot script, the route's own
 * nodes (`node_ids`), and everything those import statically. Dynamic imports
 * inside the app (other routes, lazy chunks) are not followed: a page load
 * does not fetch them.
 */
import { gzipSync } from 'node:zlib';

export interface PageWeight {
	files: { path: string; rawBytes: number; gzipBytes: number }[];
	rawBytes: number;
	gzipBytes: number;
}

export async function pageWeight(
	baseUrl: string,
	path: string,
	cookie?: string
): Promise<PageWeight> {
	const headers: Record<string, string> = cookie ? { cookie } : {};
	const pageUrl = new URL(path, baseUrl);
	const res = await fetch(pageUrl, { headers, redirect: 'manual' });
	if (res.status !== 200) throw new Error(`GET ${path}: ${res.status}`);
	const html = await res.text();
	const queue: URL[] = [];
	const add = (src: string, from: URL) => queue.push(new URL(src, from));
	for (const m of html.matchAll(/<link\b[^>]*>/g)) {
		const href = /\bhref="([^"]+)"/.exec(m[0])?.[1];
		if (href && /\brel="modulepreload"/.test(m[0])) add(href, pageUrl);
	}
	for (const m of (res.headers.get('link') ?? '').matchAll(/<([^>]+)>;[^,]*rel="modulepreload"/g)) {
		add(m[1], pageUrl);
	}
	for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)) add(m[1], pageUrl);
	for (const m of html.matchAll(/import\(\s*["']([^"']+\.js)["']\s*\)/g)) add(m[1], pageUrl);
	const nodeIds = new Set(
		(/node_ids:\s*\[([\d,\s]*)\]/.exec(html)?.[1] ?? '').split(',').filter(Boolean).map(Number)
	);

	const files = new Map<string, PageWeight['files'][number]>();
	while (queue.length) {
		const url = queue.shift()!;
		if (files.has(url.pathname)) continue;
		const file = await fetch(url, { headers });
		if (!file.ok) throw new Error(`GET ${url.pathname}: ${file.status}`);
		const body = Buffer.from(await file.arrayBuffer());
		files.set(url.pathname, {
			path: url.pathname,
			rawBytes: body.byteLength,
			gzipBytes: gzipSync(body, { level: 9 }).byteLength
		});
		const js = body.toString('utf8');
		// Static imports (`import{a}from"./x.js"`, `import"./y.js"`), not `import(...)`.
		for (const m of js.matchAll(/\b(?:from|import)\s*["']([^"']+\.js)["']/g)) add(m[1], url);
		// The app's node list: load the ones this page's boot script names.
		for (const m of js.matchAll(/import\(\s*["']([^"']*\/nodes\/(\d+)\.[^"']*\.js)["']\s*\)/g)) {
			if (nodeIds.has(Number(m[2]))) add(m[1], url);
		}
	}
	const list = [...files.values()];
	return {
		files: list,
		rawBytes: list.reduce((n, f) => n + f.rawBytes, 0),
		gzipBytes: list.reduce((n, f) => n + f.gzipBytes, 0)
	};
}
