import { invalidate } from '$app/navigation';
import { navigating } from '$app/state';

/**
 * Refetch the data behind `dependency` for a live event — unless the visitor is navigating. SvelteKit lets an
 * invalidation take over from a navigation in flight, so a socket event arriving just after a click would
 * otherwise cancel that click. Skipping is safe: the navigation loads fresh data anyway.
 */
export async function refreshUnlessNavigating(dependency: string): Promise<boolean> {
  if (navigating.to !== null) return false;
  await invalidate(dependency);
  return true;
}
