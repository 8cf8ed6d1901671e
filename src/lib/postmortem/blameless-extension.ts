/**
 * CodeMirror extension: underlines phrases that stop an investigation at a
 * person and shows, on hover, a system-focused question to ask instead. A
 * hint only; it never blocks typing or saving.
 */
import { type Extension, RangeSetBuilder, StateField } from '@codemirror/state';
import { Decoration, type DecorationSet, EditorView, hoverTooltip } from '@codemirror/view';
import { findBlamelessHints, type BlamelessHint } from './blameless-phrases';

const mark = Decoration.mark({ class: 'cm-blameless' });

export function blamelessHints(names: () => string[]): Extension {
	const hintsField = StateField.define<BlamelessHint[]>({
		create: (state) => findBlamelessHints(state.doc.toString(), names()),
		update: (hints, tr) =>
			tr.docChanged ? findBlamelessHints(tr.state.doc.toString(), names()) : hints
	});

	const decorations = EditorView.decorations.compute([hintsField], (state): DecorationSet => {
		const builder = new RangeSetBuilder<Decoration>();
		for (const hint of state.field(hintsField)) builder.add(hint.from, hint.to, mark);
		return builder.finish();
	});

	const tooltip = hoverTooltip((view, pos) => {
		const hint = view.state.field(hintsField).find((h) => pos >= h.from && pos <= h.to);
		if (!hint) return null;
		return {
			pos: hint.from,
			end: hint.to,
			above: true,
			create() {
				const dom = document.createElement('div');
				dom.className = 'cm-blameless-tip';
				const title = document.createElement('strong');
				title.textContent = 'Blameless language';
				const why = document.createElement('p');
				why.textContent = hint.why;
				const ask = document.createElement('p');
				ask.className = 'cm-blameless-ask';
				ask.textContent = `Try asking: ${hint.suggestion}`;
				dom.append(title, why, ask);
				return { dom };
			}
		};
	});

	const theme = EditorView.baseTheme({
		'.cm-blameless': {
			textDecoration: 'underline wavy #d97706',
			textDecorationSkipInk: 'none',
			textUnderlineOffset: '3px'
		},
		'.cm-tooltip.cm-tooltip-hover:has(.cm-blameless-tip)': {
			maxWidth: '340px',
			borderRadius: '6px'
		},
		'.cm-blameless-tip': {
			padding: '8px 10px',
			fontFamily: 'var(--font-sans)',
			fontSize: '0.8125rem',
			lineHeight: '1.4',
			display: 'grid',
			gap: '4px'
		},
		'.cm-blameless-ask': { fontWeight: '550' }
	});

	return [hintsField, decorations, tooltip, theme];
}
