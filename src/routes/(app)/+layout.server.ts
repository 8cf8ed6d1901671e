import type { LayoutServerLoad } from './$types';
import { requireUser } from '$lib/server/page-access';

// Everything in this group needs a signed-in user. Loads run in parallel, so
// pages that read the user call requireUser too; form actions always must.
export const load: LayoutServerLoad = ({ locals, url }) => {
	requireUser(locals, url);
};
