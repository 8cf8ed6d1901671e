import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals }) => {
	const user = locals.user;
	return {
		user: user
			? { id: user.id, username: user.username, displayName: user.display_name, role: user.role }
			: null
	};
};
