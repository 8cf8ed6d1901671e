/**
 * Phrases that end an investigation at a person instead of the system, with
 * a question that moves it on. Data, so the list can grow; the matcher is a
 * pure function shared by the editor hints and the tests. Hints never block
 * saving: they are suggestions to the writer.
 */

export interface BlamelessPhrase {
	/** Matched case-insensitively on word boundaries. */
	pattern: RegExp;
	/** Why the phrase stops the inquiry. */
	why: string;
	/** A system-focused question to ask instead. */
	suggestion: string;
}

export const BLAMELESS_PHRASES: BlamelessPhrase[] = [
	{
		pattern: /\bhuman errors?\b/gi,
		why: '"Human error" is where an investigation should start, not end.',
		suggestion: 'What about the system made this action easy to take and hard to notice?'
	},
	{
		pattern: /\bcareless(?:ly|ness)?\b/gi,
		why: 'Judging care describes a person, not the conditions they worked in.',
		suggestion: 'What pressure, tooling or missing signal made the careful path harder?'
	},
	{
		pattern: /\bshould(?:'ve| have) known\b/gi,
		why: 'Hindsight: the outcome was not known at the time.',
		suggestion:
			'What did they know at that moment, and where could the missing fact have come from?'
	},
	{
		pattern: /\bfail(?:ed|s)? to\b/gi,
		why: '"Failed to" frames an expectation as a personal failing.',
		suggestion: 'What would have prompted this step? Was it documented, automated or checked?'
	},
	{
		pattern: /\bfault of\b|\b(?:his|her|their|my|your) fault\b/gi,
		why: 'Assigning fault closes the question of how it could happen.',
		suggestion: 'Which safeguard could have caught this before it reached production?'
	},
	{
		pattern: /\bblam(?:e|ed|es|ing)\b/gi,
		why: 'Blame makes people hide details the next responder needs.',
		suggestion: 'Describe what happened and what the system allowed, not who is to blame.'
	},
	{
		pattern: /\bnegligen(?:t|tly|ce)\b/gi,
		why: 'Negligence is a judgement about a person.',
		suggestion: 'Which guardrail, review or alert was missing here?'
	},
	{
		pattern: /\b(?:didn't|did not|didnt) bother\b/gi,
		why: 'Assumes intent that the record cannot show.',
		suggestion: 'What made this step easy to skip? Could it be automated or made visible?'
	},
	{
		pattern: /\bsloppy\b|\bincompeten(?:t|ce)\b|\bstupid\b/gi,
		why: 'A judgement of a person, not a finding about the system.',
		suggestion: 'What about the environment made the mistake likely?'
	}
];

export interface BlamelessHint {
	from: number;
	to: number;
	/** The text that matched. */
	text: string;
	why: string;
	suggestion: string;
}

const NAME_AS_CAUSE_WHY = 'Naming a person as the cause ends the inquiry at them.';
const NAME_AS_CAUSE_SUGGESTION =
	'Describe the action and ask what in the system let it cause harm (review, tests, guardrails).';

function escapeRegExp(s: string): string {
	return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Patterns that name a person as the cause: "<Name> caused", "because <Name>", "<Name>'s mistake". */
function nameAsCausePatterns(names: string[]): RegExp[] {
	const usable = [...new Set(names.map((n) => n.trim()).filter((n) => n.length >= 2))];
	if (usable.length === 0) return [];
	// Longest first, so "Ann Lee" wins over "Ann".
	usable.sort((x, y) => y.length - x.length);
	const alt = usable.map(escapeRegExp).join('|');
	return [
		new RegExp(`\\b(?:${alt})\\s+(?:caused|broke|messed up|screwed up)\\b`, 'giu'),
		new RegExp(`\\b(?:because|due to)\\s+(?:of\\s+)?(?:${alt})\\b`, 'giu'),
		new RegExp(`\\b(?:${alt})(?:'s|’s)\\s+(?:mistake|error|fault)\\b`, 'giu')
	];
}

/**
 * Every blaming phrase in `text`, in order, not overlapping. `names` are the
 * people who might be named as a cause (responders, everyone in the org).
 */
export function findBlamelessHints(
	text: string,
	names: string[] = [],
	phrases: BlamelessPhrase[] = BLAMELESS_PHRASES
): BlamelessHint[] {
	const found: BlamelessHint[] = [];
	const scan = (pattern: RegExp, why: string, suggestion: string) => {
		const re = new RegExp(
			pattern.source,
			pattern.flags.includes('g') ? pattern.flags : pattern.flags + 'g'
		);
		for (const m of text.matchAll(re)) {
			if (m[0].length === 0) continue;
			found.push({ from: m.index, to: m.index + m[0].length, text: m[0], why, suggestion });
		}
	};
	for (const p of phrases) scan(p.pattern, p.why, p.suggestion);
	for (const p of nameAsCausePatterns(names)) scan(p, NAME_AS_CAUSE_WHY, NAME_AS_CAUSE_SUGGESTION);
	found.sort((x, y) => x.from - y.from || y.to - x.to);
	const result: BlamelessHint[] = [];
	let end = -1;
	for (const hint of found) {
		if (hint.from < end) continue;
		result.push(hint);
		end = hint.to;
	}
	return result;
}
