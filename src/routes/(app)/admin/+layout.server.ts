import type { LayoutServerLoad } from './$types';
import { requireAdmin } from '$lib/server/page-access';

// Guards the admin pages' loads; their form actions check again themselves.
export const load: LayoutServerLoad = ({ locals, url }) => {
	requireAdmin(locals, url);
};
