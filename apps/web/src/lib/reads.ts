import { browser } from '$app/environment';
import { realtime } from '$lib/realtime';

/**
 * Read marks: what the reader was shown, sent by the page after it rendered (a GET never writes). One batched
 * POST /api/v1/me/reads records each thread's read position, marks its notifications read and an expert's match
 * seen. Same origin with the session cookie; the browser adds the Origin header the API checks on cookie writes.
 * Without JavaScript nothing is marked (see docs/decisions/2026-12-04-page-read-model.md).
 */
const pending = new Map<number, number>();
let timer: ReturnType<typeof setTimeout> | null = null;
let listening = false;

/** Note that `threadId` was shown up to post `lastPostNumber`; sent now (`flush`) or with the next batch. */
export function markRead(threadId: number, lastPostNumber: number, { flush = false } = {}): void {
  if (!browser || lastPostNumber < 1) return;
  if ((pending.get(threadId) ?? 0) < lastPostNumber) pending.set(threadId, lastPostNumber);
  if (!listening) {
    listening = true;
    // Leaving or hiding the tab sends what is left (keepalive lets it outlive the page).
    addEventListener('pagehide', () => void flushReads());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') void flushReads();
    });
  }
  if (flush) void flushReads();
  else timer ??= setTimeout(() => void flushReads(), 10_000);
}

export async function flushReads(): Promise<void> {
  if (timer) clearTimeout(timer);
  timer = null;
  if (pending.size === 0) return;
  const items = [...pending].map(([threadId, lastPostNumber]) => ({ threadId, lastPostNumber }));
  pending.clear();
  try {
    const response = await fetch('/api/v1/me/reads', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ items }),
      credentials: 'same-origin',
      keepalive: true,
    });
    if (response.ok) {
      const { unreadCount } = (await response.json()) as { unreadCount: number };
      realtime.heardCount(unreadCount);
    }
  } catch {
    // Offline or leaving: a read mark is a convenience; the next one carries the position anyway.
  }
}
