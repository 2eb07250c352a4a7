/**
 * Thread reads kept in-process: the anonymous answers as serialized JSON, and each thread's snapshot (what every
 * viewer of it shares; see thread-snapshot.ts). Every accepted write empties it (the app's onResponse hook), commands
 * that change a thread drop that thread before answering, and every thread event from the bus drops it on every API
 * node; the short TTL bounds what changes without either (a trust level the worker recomputed).
 */
export class ThreadReadCache {
  private readonly entries = new Map<string, { value: unknown; expiresAt: number }>();
  private generation = 0;
  private readonly loading = new Map<string, { version: number; promise: Promise<unknown> }>();

  constructor(
    private readonly ttlMs = 5_000,
    private readonly maxEntries = 2_000,
  ) {}

  /**
   * Read before loading what will be stored, and pass it to `set`: a value loaded while a write was being
   * invalidated is not stored (it may predate the write, and the next read must show it).
   */
  version(): number {
    return this.generation;
  }

  get<T = string>(threadId: number, pageKey: string, now: number): T | undefined {
    const key = `${threadId}|${pageKey}`;
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value as T;
  }

  set(threadId: number, pageKey: string, value: unknown, now: number, version: number): void {
    if (version !== this.generation) return;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(`${threadId}|${pageKey}`, { value, expiresAt: now + this.ttlMs });
  }

  /**
   * The cached value, or the one being loaded since the last invalidation, or `load()` stored when it completes: a hundred
   * viewers asking at once after a reply load it once.
   */
  async through<T>(threadId: number, pageKey: string, load: () => Promise<T>): Promise<T> {
    const cached = this.get<T>(threadId, pageKey, Date.now());
    if (cached !== undefined) return cached;
    const key = `${threadId}|${pageKey}`;
    const version = this.generation;
    const inFlight = this.loading.get(key);
    if (inFlight && inFlight.version === version) return inFlight.promise as Promise<T>;
    const promise = load();
    this.loading.set(key, { version, promise });
    try {
      const value = await promise;
      this.set(threadId, pageKey, value, Date.now(), version);
      return value;
    } finally {
      if (this.loading.get(key)?.promise === promise) this.loading.delete(key);
    }
  }

  invalidate(threadId: number): void {
    this.generation += 1;
    const prefix = `${threadId}|`;
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }

  clear(): void {
    this.generation += 1;
    this.entries.clear();
  }
}
