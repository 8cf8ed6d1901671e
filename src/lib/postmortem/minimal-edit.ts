/**
 * The smallest single splice that turns one text into another: keep the
 * common prefix and suffix, replace the middle. Used to restore a version or
 * refresh the timeline section as one forward edit, so concurrent typing
 * outside the changed region survives and undo/attribution stay sensible.
 */

export interface Splice {
	/** Where the replaced region starts (UTF-16 code units, as Y.Text counts). */
	index: number;
	/** How many code units to delete there. */
	remove: number;
	/** What to insert there. */
	insert: string;
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/** Null when the texts are equal. Never splits a surrogate pair. */
export function minimalEdit(from: string, to: string): Splice | null {
	if (from === to) return null;
	const max = Math.min(from.length, to.length);
	let prefix = 0;
	while (prefix < max && from.charCodeAt(prefix) === to.charCodeAt(prefix)) prefix++;
	// Do not cut between the halves of one character.
	if (prefix > 0 && isHighSurrogate(from.charCodeAt(prefix - 1))) prefix--;
	let suffix = 0;
	const maxSuffix = max - prefix;
	while (
		suffix < maxSuffix &&
		from.charCodeAt(from.length - 1 - suffix) === to.charCodeAt(to.length - 1 - suffix)
	)
		suffix++;
	if (suffix > 0 && isLowSurrogate(from.charCodeAt(from.length - suffix))) suffix--;
	return {
		index: prefix,
		remove: from.length - prefix - suffix,
		insert: to.slice(prefix, to.length - suffix)
	};
}

/** Applies a splice to a plain string (what Y.Text does with delete + insert). */
export function applySplice(text: string, splice: Splice | null): string {
	if (!splice) return text;
	return text.slice(0, splice.index) + splice.insert + text.slice(splice.index + splice.remove);
}
