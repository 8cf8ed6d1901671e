/**
 * The postmortem editor: CodeMirror 6 bound to the shared `postmortem`
 * Y.Text. Loaded only by the postmortem page, through a dynamic import, so
 * no other page ships CodeMirror.
 */
import { minimalSetup } from 'codemirror';
import { markdown } from '@codemirror/lang-markdown';
import { Compartment, EditorState, Prec } from '@codemirror/state';
import { EditorView, keymap, placeholder } from '@codemirror/view';
import { yCollab, yUndoManagerKeymap } from 'y-codemirror.next';
import * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import { blamelessHints } from './blameless-extension';

export interface PostmortemEditorOptions {
	parent: HTMLElement;
	ytext: Y.Text;
	awareness: Awareness;
	readOnly: boolean;
	/** People who might be named as a cause in the text. */
	names: () => string[];
	label: string;
}

export interface PostmortemEditor {
	view: EditorView;
	/** Replaces the selection (or inserts at the cursor) as a local, undoable edit. */
	insertAtCursor(text: string): void;
	focus(): void;
	destroy(): void;
}

export function createPostmortemEditor(options: PostmortemEditorOptions): PostmortemEditor {
	const { ytext, awareness } = options;
	// No tracked origins of its own: yCollab adds the editor's sync origin, so undo reverts only
	// edits made in this editor, never someone else's (or a server-side restore).
	const undoManager = new Y.UndoManager(ytext, { trackedOrigins: new Set() });
	const readOnly = new Compartment();
	const view = new EditorView({
		parent: options.parent,
		state: EditorState.create({
			doc: ytext.toString(),
			extensions: [
				Prec.high(keymap.of(yUndoManagerKeymap)),
				minimalSetup,
				markdown(),
				EditorView.lineWrapping,
				placeholder('Write the postmortem here…'),
				yCollab(ytext, awareness, { undoManager }),
				blamelessHints(options.names),
				readOnly.of([
					EditorState.readOnly.of(options.readOnly),
					EditorView.editable.of(!options.readOnly)
				]),
				EditorView.contentAttributes.of({
					'aria-label': options.label,
					spellcheck: 'true',
					autocorrect: 'on'
				})
			]
		})
	});
	return {
		view,
		insertAtCursor(text) {
			const { from, to } = view.state.selection.main;
			view.dispatch({
				changes: { from, to, insert: text },
				selection: { anchor: from + text.length },
				scrollIntoView: true
			});
			view.focus();
		},
		focus: () => view.focus(),
		destroy() {
			view.destroy();
			undoManager.destroy();
		}
	};
}
