/**
 * Postmortem versions through the JSON API against the real server: manual,
 * lifecycle and automatic versions, viewing and diffing them, restoring one
 * while people keep typing (everyone sees the restored text live), the
 * template, the Markdown export, and every refusal.
 */
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendEntry, postmortemOf } from '../../src/lib/doc/incident-doc';
import { diffLines } from '../../src/lib/postmortem/line-diff';
import type { PostmortemVersion } from '../../src/lib/postmortem/versions';
import { ApiClient, signedUp } from '../support/http';
import { startServer, type TestServer } from '../support/server';
import { waitFor } from '../support/wait';
import { sameState, seededRandom, yjsClient, type YjsClient } from '../support/postmortem-clients';

type Person = ApiClient & { userId: string; username: string };
type VersionWithText = PostmortemVersion & { text: string };

let server: TestServer;
let admin: Person, alice: Person, bob: Person, viewer: Person;
const clients: YjsClient[] = [];

beforeAll(async () => {
	// Autosave after two seconds of quiet, so the test can watch it happen.
	server = await startServer({ env: { POSTMORTEM_AUTOSAVE_QUIET_MS: '2000' } });
	admin = await signedUp(server.url, 'admin');
	alice = await signedUp(server.url, 'alice');
	bob = await signedUp(server.url, 'bob');
	viewer = await signedUp(server.url, 'viewer');
	const demoted = await admin.patch('/api/users/viewer', { role: 'viewer' });
	expect(demoted.status).toBe(200);
});

afterAll(async () => {
	for (const c of clients) c.destroy();
	await server?.dispose();
});

async function declare(by: Person = alice): Promise<string> {
	const res = await by.post<{ id: string }>('/api/incidents', {
		title: 'Checkout 500s',
		severity: 'SEV2'
	});
	expect(res.status).toBe(201);
	return res.body.id;
}

async function editor(incidentId: string, person: Person): Promise<YjsClient> {
	const c = yjsClient(server.port, incidentId, person.cookie, {
		id: person.userId,
		name: person.username
	});
	clients.push(c);
	await c.synced;
	return c;
}

const versionsUrl = (id: string) => `/api/incidents/${id}/postmortem/versions`;

/** The server's own copy of the postmortem, read through the export. */
async function serverText(incidentId: string): Promise<string> {
	const res = await fetch(`${server.url}/incidents/${incidentId}/postmortem.md`, {
		headers: { cookie: alice.cookie }
	});
	return res.text();
}

async function list(incidentId: string, as: Person = alice): Promise<PostmortemVersion[]> {
	const res = await as.get<{ versions: PostmortemVersion[] }>(versionsUrl(incidentId));
	expect(res.status).toBe(200);
	return res.body.versions;
}

function replaceAll(c: YjsClient, text: string) {
	const ytext = postmortemOf(c.doc);
	c.doc.transact(() => {
		ytext.delete(0, ytext.length);
		ytext.insert(0, text);
	});
}

describe('taking, listing and viewing versions', () => {
	it('takes a named version crediting everyone who edited, and shows its text', async () => {
		const id = await declare();
		const a = await editor(id, alice);
		const b = await editor(id, bob);
		postmortemOf(a.doc).insert(0, '## Summary\nThe cache was cold.\n');
		await waitFor(() => postmortemOf(b.doc).length > 0, { what: "Alice's text at Bob's" });
		postmortemOf(b.doc).insert(0, '# Checkout 500s\n');
		await waitFor(async () => (await serverText(id)).startsWith('# Checkout'), {
			what: 'both edits on the server'
		});
		const taken = await alice.post<PostmortemVersion>(versionsUrl(id), {
			label: 'Draft for review'
		});
		expect(taken.status).toBe(201);
		expect(taken.body).toMatchObject({ kind: 'manual', label: 'Draft for review', incidentId: id });
		expect(taken.body.createdBy).toEqual({ id: alice.userId, name: 'Alice' });
		expect(taken.body.authors.map((p) => p.name).sort()).toEqual(['Alice', 'Bob']);

		const listed = await list(id);
		expect(listed.map((v) => v.id)).toContain(taken.body.id);

		const viewed = await viewer.get<VersionWithText>(`${versionsUrl(id)}/${taken.body.id}`);
		expect(viewed.status).toBe(200);
		expect(viewed.body.text).toBe('# Checkout 500s\n## Summary\nThe cache was cold.\n');

		// Later edits do not change what the version holds.
		replaceAll(a, 'Rewritten entirely.\n');
		await waitFor(async () => (await serverText(id)) === 'Rewritten entirely.\n', {
			what: 'the rewrite on the server'
		});
		const again = await alice.get<VersionWithText>(`${versionsUrl(id)}/${taken.body.id}`);
		expect(again.body.text).toBe('# Checkout 500s\n## Summary\nThe cache was cold.\n');
	});

	it("keeps each version's text, and still reads versions stored before it did", async () => {
		const id = await declare();
		const a = await editor(id, alice);
		postmortemOf(a.doc).insert(0, 'What we knew at 14:02.\n');
		await waitFor(async () => (await serverText(id)).startsWith('What we knew'), {
			what: 'the edit on the server'
		});
		const taken = await alice.post<PostmortemVersion>(versionsUrl(id), { label: 'Early' });
		expect(taken.status).toBe(201);
		replaceAll(a, 'Later text.\n');
		await waitFor(async () => (await serverText(id)) === 'Later text.\n', { what: 'rewrite' });

		const db = new SQLite(path.join(server.dataDir, 'warroom.sqlite'));
		try {
			const stored = () =>
				db.prepare('select text from postmortem_versions where id = ?').get(taken.body.id) as {
					text: string | null;
				};
			expect(stored().text).toBe('What we knew at 14:02.\n');
			// A version taken before texts were kept: rebuilt from its snapshot.
			db.prepare('update postmortem_versions set text = null where id = ?').run(taken.body.id);
			expect(stored().text).toBeNull();
		} finally {
			db.close();
		}
		const viewed = await alice.get<VersionWithText>(`${versionsUrl(id)}/${taken.body.id}`);
		expect(viewed.body.text).toBe('What we knew at 14:02.\n');
	});

	it('takes a lifecycle version on every status change', async () => {
		const id = await declare();
		const a = await editor(id, alice);
		postmortemOf(a.doc).insert(0, 'Notes while mitigating.\n');
		await waitFor(async () => (await serverText(id)).includes('mitigating'), { what: 'the edit' });
		const moved = await alice.post(`/api/incidents/${id}/commands/incident:status`, {
			status: 'mitigated'
		});
		expect(moved.status).toBe(200);
		const versions = await list(id);
		const lifecycle = versions.find((v) => v.kind === 'lifecycle');
		expect(lifecycle?.label).toBe('Status: Mitigated');
		expect(lifecycle?.createdBy?.id).toBe(alice.userId);
		const viewed = await alice.get<VersionWithText>(`${versionsUrl(id)}/${lifecycle!.id}`);
		expect(viewed.body.text).toBe('Notes while mitigating.\n');
	});

	it('takes an automatic version once a burst of editing settles, crediting its authors', async () => {
		const id = await declare();
		const b = await editor(id, bob);
		const a = await editor(id, alice);
		for (const word of ['Impact: ', 'EU ', 'checkout ', 'for 14 minutes.']) {
			const t = postmortemOf(b.doc);
			t.insert(t.length, word);
			// Alice writes the timeline meanwhile: that does not make her an author of the postmortem.
			appendEntry(a.doc, { ts: Date.now(), kind: 'note', text: word, author: alice.userId });
		}
		await waitFor(async () => (await list(id)).some((v) => v.kind === 'auto'), {
			what: 'an automatic version',
			timeoutMs: 15_000
		});
		const auto = (await list(id)).find((v) => v.kind === 'auto')!;
		expect(auto.authors.map((p) => p.id)).toEqual([bob.userId]);
		expect(auto.createdBy).toBeNull();
		const viewed = await bob.get<VersionWithText>(`${versionsUrl(id)}/${auto.id}`);
		expect(viewed.body.text).toBe('Impact: EU checkout for 14 minutes.');
	});

	it('diffs two versions line by line', async () => {
		const id = await declare();
		const a = await editor(id, alice);
		replaceAll(a, '## Impact\nAll users\n## Detection\nAlert\n');
		await waitFor(async () => (await serverText(id)).includes('All users'), { what: 'v1' });
		const v1 = await alice.post<PostmortemVersion>(versionsUrl(id), { label: 'v1' });
		replaceAll(a, '## Impact\nEU users only\n## Detection\nAlert\n## Response\n');
		await waitFor(async () => (await serverText(id)).includes('EU users'), { what: 'v2' });
		const v2 = await alice.post<PostmortemVersion>(versionsUrl(id), { label: 'v2' });
		const [t1, t2] = await Promise.all(
			[v1, v2].map(
				async (v) => (await alice.get<VersionWithText>(`${versionsUrl(id)}/${v.body.id}`)).body.text
			)
		);
		const changed = diffLines(t1, t2).filter((l) => l.kind !== 'same');
		expect(changed).toEqual([
			{ kind: 'removed', text: 'All users', oldLine: 2 },
			{ kind: 'added', text: 'EU users only', newLine: 2 },
			{ kind: 'added', text: '## Response', newLine: 5 }
		]);
	});
});

describe('restoring a version', () => {
	it('restores as a forward edit everyone sees live, even while someone is typing', async () => {
		const id = await declare();
		const a = await editor(id, alice);
		const b = await editor(id, bob);
		const watcher = await editor(id, viewer);
		const v1Text =
			'# Postmortem\n## Summary\nA bad config reached production.\n## Impact\nAll EU users.\n';
		replaceAll(a, v1Text);
		await waitFor(async () => (await serverText(id)) === v1Text, { what: 'v1 on the server' });
		const v1 = await alice.post<PostmortemVersion>(versionsUrl(id), { label: 'Reviewed draft' });
		expect(v1.status).toBe(201);

		const v2Text = '# Postmortem\n## Summary\nSomething else entirely.\n';
		replaceAll(a, v2Text);
		await waitFor(() => postmortemOf(watcher.doc).toString() === v2Text, { what: 'v2 everywhere' });

		// Bob keeps typing "§" at random places while the restore goes through.
		const random = seededRandom(99);
		let typing = true;
		const typist = (async () => {
			while (typing) {
				const t = postmortemOf(b.doc);
				t.insert(Math.floor(random() * (t.length + 1)), '§');
				await new Promise((r) => setTimeout(r, 5));
			}
		})();
		const restored = await alice.post<VersionWithText>(`${versionsUrl(id)}/${v1.body.id}/restore`);
		typing = false;
		await typist;
		expect(restored.status).toBe(200);
		expect(restored.body).toMatchObject({ kind: 'restore', label: 'Restored “Reviewed draft”' });
		expect(restored.body.authors.map((p) => p.id)).toContain(alice.userId);
		expect(restored.body.text).toBe(v1Text);

		// Everyone converges on the restored text, with Bob's concurrent typing kept.
		await waitFor(
			() =>
				[a, b, watcher].every(
					(c) => postmortemOf(c.doc).toString() === postmortemOf(b.doc).toString()
				) &&
				sameState(a.doc, b.doc) &&
				sameState(b.doc, watcher.doc),
			{ what: 'all clients to converge after the restore' }
		);
		const final = postmortemOf(watcher.doc).toString();
		expect(final.replaceAll('§', '')).toBe(v1Text);
		expect(final).toContain('§');
		expect(await serverText(id)).toBe(final);

		// The text it replaced was kept as a version first, and the restore itself is one.
		const versions = await list(id);
		expect(versions[0].id).toBe(restored.body.id);
		const before = versions.find((v) => v.label === 'Before restoring “Reviewed draft”');
		expect(before).toBeDefined();
		const beforeText = await alice.get<VersionWithText>(`${versionsUrl(id)}/${before!.id}`);
		expect(beforeText.body.text.replaceAll('§', '')).toBe(v2Text);
	});
});

describe('template and export', () => {
	it('starts an empty postmortem from the blameless template with the live timeline, once', async () => {
		const id = await declare();
		await alice.post(`/api/incidents/${id}/commands/incident:status`, { status: 'identified' });
		const first = await alice.post(`/api/incidents/${id}/postmortem/template`);
		expect(first.status).toBe(204);
		const text = await serverText(id);
		expect(text).toContain('# Postmortem: Checkout 500s');
		for (const heading of [
			'## Summary',
			'## Impact',
			'## Detection',
			'## Response',
			'## Timeline',
			'## Contributing factors',
			'## What went well',
			'## Where we got lucky',
			'## Action items'
		])
			expect(text).toContain(heading);
		const section = text.slice(
			text.indexOf('<!-- timeline:start -->'),
			text.indexOf('<!-- timeline:end -->')
		);
		expect(section).toMatch(/^- \*\*\d{4}-\d\d-\d\d \d\d:\d\d UTC\*\* Alice declared a SEV2/m);
		expect(section).toMatch(
			/^- \*\*\d{4}-\d\d-\d\d \d\d:\d\d UTC\*\* Alice set status to Identified$/m
		);
		const second = await bob.post(`/api/incidents/${id}/postmortem/template`);
		expect(second.status).toBe(409);
		expect(await serverText(id)).toBe(text);
	});

	it('downloads the Markdown for responders and viewers, not for the signed out', async () => {
		const id = await declare();
		const a = await editor(id, alice);
		postmortemOf(a.doc).insert(0, '# Export me\n');
		await waitFor(async () => (await serverText(id)) === '# Export me\n', { what: 'the edit' });
		const res = await fetch(`${server.url}/incidents/${id}/postmortem.md`, {
			headers: { cookie: viewer.cookie }
		});
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toMatch(/^text\/markdown/);
		expect(res.headers.get('content-disposition')).toBe(
			'attachment; filename="postmortem-checkout-500s.md"'
		);
		expect(await res.text()).toBe('# Export me\n');
		const anonymous = await fetch(`${server.url}/incidents/${id}/postmortem.md`);
		expect(anonymous.status).toBe(401);
		const missing = await fetch(`${server.url}/incidents/nope/postmortem.md`, {
			headers: { cookie: viewer.cookie }
		});
		expect(missing.status).toBe(404);
	});
});

describe('refusals', () => {
	let id: string;
	let versionId: string;

	beforeAll(async () => {
		id = await declare();
		const taken = await alice.post<PostmortemVersion>(versionsUrl(id), { label: 'base' });
		versionId = taken.body.id;
	});

	it('lets a viewer list and view versions', async () => {
		expect((await list(id, viewer)).map((v) => v.id)).toContain(versionId);
		const viewed = await viewer.get(`${versionsUrl(id)}/${versionId}`);
		expect(viewed.status).toBe(200);
	});

	it('refuses a viewer taking a version', async () => {
		const res = await viewer.post(versionsUrl(id), { label: 'mine' });
		expect(res.status).toBe(403);
		expect(res.body).toEqual({ error: 'Your account is read-only (viewer).' });
	});

	it('refuses a viewer restoring a version', async () => {
		const res = await viewer.post(`${versionsUrl(id)}/${versionId}/restore`);
		expect(res.status).toBe(403);
	});

	it('refuses a viewer starting from the template', async () => {
		const res = await viewer.post(`/api/incidents/${id}/postmortem/template`);
		expect(res.status).toBe(403);
	});

	it('refuses the signed out with 401', async () => {
		const anonymous = new ApiClient(server.url);
		expect((await anonymous.get(versionsUrl(id))).status).toBe(401);
		expect((await anonymous.post(versionsUrl(id), { label: 'x' })).status).toBe(401);
		expect((await anonymous.get(`${versionsUrl(id)}/${versionId}`)).status).toBe(401);
		expect((await anonymous.post(`${versionsUrl(id)}/${versionId}/restore`)).status).toBe(401);
	});

	it('answers 404 for an unknown incident or version', async () => {
		expect((await alice.get(versionsUrl('no-such-incident'))).status).toBe(404);
		expect((await alice.post(versionsUrl('no-such-incident'), { label: 'x' })).status).toBe(404);
		expect((await alice.get(`${versionsUrl(id)}/no-such-version`)).status).toBe(404);
		expect((await alice.post(`${versionsUrl(id)}/no-such-version/restore`)).status).toBe(404);
	});

	it('answers 400 naming the field for a bad label', async () => {
		const empty = await alice.post(versionsUrl(id), { label: '   ' });
		expect(empty.status).toBe(400);
		expect(empty.body).toEqual({ error: 'label: label is required' });
		const long = await alice.post(versionsUrl(id), { label: 'x'.repeat(121) });
		expect(long.status).toBe(400);
		const missing = await alice.post(versionsUrl(id), {});
		expect(missing.status).toBe(400);
	});
});
