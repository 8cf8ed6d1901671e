import { describe, expect, it } from 'vitest';
import { GroupCommit } from '../../server/group-commit';

/** A fake storage layer that records how writes were grouped; `failOn` items make a group fail. */
function recorder(failOn: Set<string> = new Set()) {
	const groups: string[][] = [];
	let gate: Promise<void> = Promise.resolve();
	const commit = new GroupCommit<string, string>({
		commitAll: async (items) => {
			groups.push([...items]);
			await gate;
			if (items.some((i) => failOn.has(i))) throw new Error('constraint');
			return items.map((i) => `ok:${i}`);
		},
		commitOne: async (item) => {
			groups.push([item]);
			await gate;
			if (failOn.has(item)) throw new Error(`bad ${item}`);
			return `ok:${item}`;
		}
	});
	return {
		commit,
		groups,
		hold() {
			let release!: () => void;
			gate = new Promise((r) => (release = r));
			return release;
		}
	};
}

describe('group commit', () => {
	it('commits writes submitted in the same tick together, each caller getting its own result', async () => {
		const { commit, groups } = recorder();
		const results = await Promise.all(['a', 'b', 'c'].map((i) => commit.submit(i)));
		expect(results).toEqual(['ok:a', 'ok:b', 'ok:c']);
		expect(groups).toEqual([['a', 'b', 'c']]);
	});

	it('gathers writes that arrive while a commit is in flight into the next group', async () => {
		const { commit, groups, hold } = recorder();
		const release = hold();
		const first = commit.submit('a');
		await new Promise((r) => setImmediate(r));
		await new Promise((r) => setImmediate(r));
		expect(groups).toEqual([['a']]); // in flight
		const later = [commit.submit('b'), commit.submit('c')];
		release();
		expect(await first).toBe('ok:a');
		expect(await Promise.all(later)).toEqual(['ok:b', 'ok:c']);
		expect(groups).toEqual([['a'], ['b', 'c']]);
	});

	it('fails only the bad write when a shared commit fails', async () => {
		const { commit, groups } = recorder(new Set(['b']));
		const settled = await Promise.allSettled(['a', 'b', 'c'].map((i) => commit.submit(i)));
		expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
		expect((settled[1] as PromiseRejectedResult).reason.message).toBe('bad b');
		// The failed group, then each write on its own.
		expect(groups).toEqual([['a', 'b', 'c'], ['a'], ['b'], ['c']]);
	});

	it('keeps working after a failure', async () => {
		const { commit } = recorder(new Set(['x']));
		await expect(commit.submit('x')).rejects.toThrow('bad x');
		expect(await commit.submit('y')).toBe('ok:y');
	});
});
