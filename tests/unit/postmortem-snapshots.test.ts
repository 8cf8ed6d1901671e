import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { newIncidentDoc, postmortemOf } from '../../src/lib/doc/incident-doc';
import { minimalEdit } from '../../src/lib/postmortem/minimal-edit';
import { textAtSnapshot } from '../../src/lib/server/postmortem-versions';

describe('postmortem snapshots', () => {
	it('rebuild the text of every version from the gc: false document', () => {
		const doc = newIncidentDoc();
		const text = postmortemOf(doc);
		const versions: { snapshot: Uint8Array; text: string }[] = [];
		const take = () =>
			versions.push({ snapshot: Y.encodeSnapshot(Y.snapshot(doc)), text: text.toString() });
		take();
		text.insert(0, '## Summary\nThe cache was cold.\n');
		take();
		text.delete(14, 14);
		text.insert(14, 'a bad config reached production.');
		take();
		text.delete(0, text.length);
		take();
		// Stored and loaded again, as after a restart.
		const state = Y.encodeStateAsUpdate(doc);
		for (const v of versions) expect(textAtSnapshot(state, v.snapshot)).toBe(v.text);
	});

	it('restores an old text by the smallest splice, keeping later versions intact', () => {
		const doc = newIncidentDoc();
		const text = postmortemOf(doc);
		text.insert(0, 'Line A\nLine B\nLine C\n');
		const old = { snapshot: Y.encodeSnapshot(Y.snapshot(doc)), text: text.toString() };
		text.delete(7, 6);
		text.insert(7, 'Rewritten');
		const before = text.toString();
		const splice = minimalEdit(before, old.text)!;
		expect(splice).toEqual({ index: 7, remove: 9, insert: 'Line B' });
		doc.transact(() => {
			text.delete(splice.index, splice.remove);
			text.insert(splice.index, splice.insert);
		});
		expect(text.toString()).toBe(old.text);
		expect(textAtSnapshot(Y.encodeStateAsUpdate(doc), old.snapshot)).toBe(old.text);
	});
});
