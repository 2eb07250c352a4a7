/**
 * Anonymous thread reads, cached in-process as serialized JSON. Every command that changes a thread invalidates it here before
 * answering, so a writer's next read is fresh on this node; the short TTL bounds staleness on other API nodes
 * until cross-node invalidation arrives with the event bus.
 */
export class ThreadReadCache {
  private readonly entries = new Map<string, { value: string; expiresAt: number }>();

  constructor(
    private readonly ttlMs = 5_000,
    private readonly maxEntries = 2_000,
  ) {}

  get(threadId: number, pageKey: string, now: number): string | undefined {
    const key = `${threadId}|${pageKey}`;
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(threadId: number, pageKey: string, value: string, now: number): void {
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(`${threadId}|${pageKey}`, { value, expiresAt: now + this.ttlMs });
  }

  invalidate(threadId: number): void {
    const prefix = `${threadId}|`;
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
