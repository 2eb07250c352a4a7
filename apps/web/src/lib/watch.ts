/** Watch levels (GET/PUT …/watch): how much a person hears about a thread, a community or a tag in it. */

export type WatchLevel = 'watching' | 'tracking' | 'normal' | 'muted';
export type WatchTarget = 'thread' | 'community' | 'tag';

export const WATCH_LEVELS: readonly WatchLevel[] = ['watching', 'tracking', 'normal', 'muted'];

export const WATCH_LABELS: Record<WatchLevel, string> = { watching: 'Watching', tracking: 'Tracking', normal: 'Normal', muted: 'Muted' };

export function isWatchLevel(value: unknown): value is WatchLevel {
  return typeof value === 'string' && (WATCH_LEVELS as readonly string[]).includes(value);
}

/** One line per level: what you are notified about. */
export function explainWatch(level: WatchLevel, target: WatchTarget): string {
  switch (level) {
    case 'watching':
      return target === 'thread'
        ? 'Notified of every new post.'
        : target === 'tag'
          ? 'Notified of every new thread with this tag.'
          : 'Notified of every new thread.';
    case 'tracking':
      return 'Notified when someone mentions you or replies to you.';
    case 'normal':
      return 'Like tracking: notified when mentioned or replied to. The default.';
    case 'muted':
      return 'Never notified, not even for mentions.';
  }
}
