import type { ServerUnread } from '$lib/realtime';

/** An unread count for the page data, stamped when the API answered (see realtime.offerServerCount). */
export function stampUnread(count: number | undefined): ServerUnread | null {
  return count === undefined ? null : { count, at: Date.now() };
}

/** The viewer's unread notification count, or null (anonymous, or the API did not answer). */
export async function unreadFor(locals: App.Locals): Promise<ServerUnread | null> {
  if (!locals.viewer) return null;
  try {
    const { data } = await locals.api.GET('/api/v1/notifications/unread-count');
    return stampUnread(data?.unreadCount);
  } catch {
    return null;
  }
}
