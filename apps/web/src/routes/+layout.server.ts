import { unreadFor } from '$lib/server/unread';
import type { LayoutServerLoad } from './$types';

/** The thread page's one read returns the count itself. */
const THREAD_ROUTE = '/t/[id=id]/[[slug]]';

/** What every page may know about the viewer (the email stays on the server), and the bell's count. */
export const load: LayoutServerLoad = async ({ locals, route, depends }) => {
  depends('praxis:unread');
  const v = locals.viewer;
  // Reading route.id re-runs this on every change of page kind, which keeps the count fresh without JavaScript's socket.
  const unread = v && route.id !== THREAD_ROUTE ? await unreadFor(locals) : null;
  return {
    viewer: v && { id: v.id, username: v.username, displayName: v.displayName, role: v.role, memberships: v.memberships },
    unread,
  };
};
