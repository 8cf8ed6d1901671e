/** Polls until `condition` holds (or throws after `timeoutMs`): wait for what a user would see, never a fixed time. */
export async function waitFor(
	condition: () => boolean | Promise<boolean>,
	{ timeoutMs = 10_000, intervalMs = 20, what = 'condition' } = {}
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await condition())) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, intervalMs));
	}
}
