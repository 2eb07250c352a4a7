import { invalidateAll } from '$app/navigation';
import type { SubmitFunction } from '@sveltejs/kit';

/**
 * For small in-page actions (vote, accept, hide): when the action redirects back to this same page,
 * refresh its data in place instead of navigating, so the scroll position and focus stay put.
 */
export const stayOnPage: SubmitFunction = () => {
  return async ({ result, update }) => {
    if (result.type === 'redirect') {
      const target = new URL(result.location, window.location.href);
      if (target.pathname === window.location.pathname && target.search === window.location.search) {
        await invalidateAll();
        return;
      }
    }
    await update();
  };
};

/** Like stayOnPage, but asks first (for destructive actions). */
export function confirmThen(message: string): SubmitFunction {
  return (input) => {
    if (!window.confirm(message)) {
      input.cancel();
      return;
    }
    return stayOnPage(input);
  };
}

/** For full forms: reports while the submission is in flight (to disable the button) and keeps what was typed on errors. */
export function trackPending(setPending: (pending: boolean) => void): SubmitFunction {
  return () => {
    setPending(true);
    return async ({ update }) => {
      await update({ reset: false });
      setPending(false);
    };
  };
}
