/**
 * The postmortem in two browsers: both responders type into the same
 * paragraph at once and see each other's words and cursor; the preview
 * renders Markdown but never runs what someone pasted; a viewer reads only.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { signedUp } from '../support/http';
import { PHONE, liveSuite, screenshot } from '../support/browser';
import { waitFor } from '../support/wait';

const suite = liveSuite();

/** The postmortem page, live and with its editor ready. */
async function openAs(cookie: string, path: string, viewport?: { width: number; height: number }) {
	const page = await suite.openAs(cookie, path, viewport);
	await page.locator('.cm-content').waitFor();
	return page;
}

/** The editor's text as the user reads it: its lines, without remote caret labels. */
const editorText = (page: Page) =>
	page.evaluate(() => {
		const content = document.querySelector('.cm-content');
		if (!content) return '';
		const lines = [...content.querySelectorAll('.cm-line')].map((line) => {
			const copy = line.cloneNode(true) as HTMLElement;
			for (const el of copy.querySelectorAll('.cm-ySelectionCaret, .cm-widgetBuffer')) el.remove();
			return (copy.textContent ?? '').replace(/\u2060/g, '');
		});
		return lines.join('\n');
	});

async function waitForEditorText(page: Page, ...parts: string[]): Promise<void> {
	let text = '';
	try {
		await waitFor(async () => {
			text = await editorText(page);
			return parts.every((p) => text.includes(p));
		});
	} catch {
		throw new Error(`editor never showed ${JSON.stringify(parts)}; it shows:\n${text}`);
	}
}

const SUMMARY_LINE = 'What happened, in two or three sentences a newcomer can follow.';

describe('the postmortem with two authors', () => {
	it('edits together live, renders a safe preview, and stays read-only for viewers', async () => {
		const admin = await signedUp(suite.server.url, 'opsadmin');
		const alice = await signedUp(suite.server.url, 'alice');
		const bob = await signedUp(suite.server.url, 'bob');
		const vera = await signedUp(suite.server.url, 'vera');
		expect((await admin.patch('/api/users/vera', { role: 'viewer' })).status).toBe(200);
		const created = await alice.post<{ id: string }>('/api/incidents', {
			title: 'Checkout API returning 502s',
			severity: 'SEV1',
			summary: 'About 30% of checkout requests fail in eu-west.'
		});
		const id = created.body.id;
		await alice.post(`/api/incidents/${id}/commands/incident:status`, { status: 'mitigated' });
		const path = `/incidents/${id}/postmortem`;
		const a = await openAs(alice.cookie, path);
		const b = await openAs(bob.cookie, path);

		// Start from the template; Bob sees it arrive.
		await a.getByRole('button', { name: 'Start from the blameless template' }).click();
		await waitForEditorText(
			b,
			SUMMARY_LINE,
			'Contributing factors',
			'Alice set status to Mitigated'
		);
		expect(await b.getByRole('button', { name: 'Start from the blameless template' }).count()).toBe(
			0
		);

		// Both put their cursor in the same paragraph and type at the same time: Bob at its start, Alice at its end.
		await a.locator('.cm-line', { hasText: SUMMARY_LINE }).click();
		await a.keyboard.press('End');
		await b.locator('.cm-line', { hasText: SUMMARY_LINE }).click();
		await b.keyboard.press('Home');
		await Promise.all([
			a.keyboard.type(' A config push removed the pool limit.', { delay: 15 }),
			b.keyboard.type('Checkout failed for 14 minutes. ', { delay: 15 })
		]);
		const line = `Checkout failed for 14 minutes. ${SUMMARY_LINE} A config push removed the pool limit.`;
		await waitForEditorText(a, line);
		await waitForEditorText(b, line);
		expect(await editorText(a)).toBe(await editorText(b));

		// Each sees the other's caret, labelled with their name.
		await a.locator('.cm-ySelectionCaret', { hasText: 'Bob' }).waitFor();
		await b.locator('.cm-ySelectionCaret', { hasText: 'Alice' }).waitFor();

		// The preview renders the Markdown.
		const preview = a.getByTestId('preview');
		await preview.getByRole('heading', { name: 'Contributing factors' }).waitFor();
		await preview.getByText('A config push removed the pool limit.').waitFor();

		// Blaming words get a hint with a system-focused question.
		await a.keyboard.type(' The root cause was human error.');
		const hint = a.locator('.cm-blameless', { hasText: 'human error' });
		await hint.waitFor();
		await hint.hover();
		await a.locator('.cm-blameless-tip').waitFor();
		expect(await a.locator('.cm-blameless-tip').innerText()).toMatch(/system/);
		await screenshot(a, 'postmortem-editor-desktop');
		await screenshot(b, 'postmortem-editor-other-author-desktop');

		// Pasted HTML and links never run, in either browser.
		await a.keyboard.press('Control+End');
		await a.keyboard.insertText(
			'\n\n<img src=x onerror="window.__xss=1">\n\n<script>window.__xss=1</script>\n\n[x](javascript:window.__xss=1)\n\n<a href="javascript:window.__xss=1" onclick="window.__xss=1">y</a>\n'
		);
		for (const page of [a, b]) {
			const p = page.getByTestId('preview');
			await p.getByText('x', { exact: true }).waitFor();
			await page.waitForFunction(() =>
				[...document.querySelectorAll('[data-testid=preview] img')].every(
					(img) => (img as HTMLImageElement).complete
				)
			);
			await p.getByText('x', { exact: true }).click();
			await p.getByText('y', { exact: true }).click();
			expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined();
			expect(await p.locator('script').count()).toBe(0);
			expect(await p.locator('[onerror], [onclick]').count()).toBe(0);
			expect(await p.locator('a[href^="javascript"]').count()).toBe(0);
		}

		// A named version, listed in the history with its author.
		await a.getByRole('button', { name: /^History/ }).click();
		await a.getByLabel('Version name').fill('Draft for review');
		await a.getByRole('button', { name: 'Save version', exact: true }).click();
		await a.getByRole('button', { name: /Draft for review/ }).click();
		await a.getByTestId('version-detail').getByText(/Alice/).first().waitFor();
		await a.getByLabel('Show').selectOption('text');
		await a
			.getByTestId('version-text')
			.getByText(/A config push removed the pool limit/)
			.waitFor();
		await screenshot(a, 'postmortem-history-desktop');

		// A viewer reads along but cannot type or save.
		const v = await openAs(vera.cookie, path);
		await waitForEditorText(v, 'A config push removed the pool limit.');
		expect(await v.locator('.cm-content').getAttribute('contenteditable')).toBe('false');
		expect(await v.getByRole('button', { name: 'Insert/refresh timeline' }).count()).toBe(0);
		await v.locator('.cm-content').click();
		await v.keyboard.type('viewer text');
		expect(await editorText(v)).not.toContain('viewer text');

		// Phone: one pane at a time.
		const phone = await openAs(bob.cookie, path, PHONE);
		await waitForEditorText(phone, 'A config push removed the pool limit.');
		await screenshot(phone, 'postmortem-editor-phone');
		await phone.getByRole('button', { name: 'Preview' }).click();
		await phone.getByTestId('preview').getByRole('heading', { name: 'Summary' }).waitFor();
		await screenshot(phone, 'postmortem-preview-phone');

		// The print view: the document without the app around it.
		const print = await openPrint(alice.cookie, `${path}/print`);
		await print.getByRole('heading', { name: 'Contributing factors' }).waitFor();
		expect(await print.locator('.topbar').isVisible()).toBe(false);
		await screenshot(print, 'postmortem-print-desktop');
	});
});

/** The print page has no live connection to wait for. */
function openPrint(cookie: string, path: string): Promise<Page> {
	return suite.open(cookie, path);
}
