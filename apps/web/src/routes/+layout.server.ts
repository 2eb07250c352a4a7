import type { LayoutServerLoad } from './$types';

/** What every page may know about the viewer (the email stays on the server). */
export const load: LayoutServerLoad = ({ locals }) => {
  const v = locals.viewer;
  return {
    viewer: v && { id: v.id, username: v.username, displayName: v.displayName, role: v.role, memberships: v.memberships },
  };
};
