import type { Me } from '@praxis/contracts';
import type { Viewer } from '@praxis/domain';
import type { AccessTokenGrant, UserRow } from './load-viewer.js';

/** Who a session or an access token belongs to, as the auth hook resolved it. */
export interface Credential {
  user: UserRow;
  viewer: Viewer;
  /** Set for access tokens: what the token lets its holder do, and when it was last used (to the minute). */
  grant: (AccessTokenGrant & { lastUsedAt: Date | null }) | null;
  /** When the session or token ends by itself (null: a token without expiry). */
  expiresAt: Date | null;
  /** GET /me's answer, filled on first use. */
  me?: Me;
  /** What this viewer's pages read about them alone (unread count, watch levels), while the credential is cached. */
  memo?: Map<string, Promise<unknown>>;
}

/** Loads a value of the viewer's own once per cached credential (see `Credential.memo`). */
export type Remember = <T>(key: string, load: () => Promise<T>) => Promise<T>;

const MEMO_ENTRIES = 64;

export function rememberFor(credential: Credential | null): Remember {
  return <T>(key: string, load: () => Promise<T>): Promise<T> => {
    if (!credential) return load();
    const memo = (credential.memo ??= new Map());
    const known = memo.get(key) as Promise<T> | undefined;
    if (known) return known;
    if (memo.size >= MEMO_ENTRIES) memo.clear();
    const loading = load();
    memo.set(key, loading);
    loading.catch(() => memo.delete(key));
    return loading;
  };
}

/**
 * Credentials resolved in the last few seconds, by the hash of the session or token. Without it a signed-in page
 * spent about six queries learning who asks (the page and /me each load session, user and memberships).
 *
 * What keeps it right (docs/decisions/2026-12-04-signed-in-reads.md):
 * - an accepted write forgets its author's credentials (sign out, revoke a token, join or leave, edit a profile);
 *   an accepted write by staff or by a community's leader or moderator forgets every credential (they change others'
 *   roles, suspensions and memberships);
 * - `access.changed` from the event bus forgets that user's credentials on every node;
 * - any message from the bus for that user's room (a notification, their matching panel) forgets their credentials;
 * - an entry lives at most `ttlMs`, and never past the credential's own expiry: what changes without a request on
 *   this node (a database edited by hand) shows within that time;
 * - a credential loaded while any of these happened is not stored (`version`).
 */
export class CredentialCache {
  private readonly entries = new Map<string, { credential: Credential; until: number }>();
  private generation = 0;

  constructor(
    private readonly ttlMs = 10_000,
    private readonly maxEntries = 10_000,
  ) {}

  get(key: string, now: number): Credential | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.credential;
  }

  /** Read before loading a credential, and pass it to `set`. */
  version(): number {
    return this.generation;
  }

  set(key: string, credential: Credential, now: number, version: number): void {
    if (version !== this.generation) return;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    const expiry = credential.expiresAt?.getTime() ?? Infinity;
    this.entries.set(key, { credential, until: Math.min(now + this.ttlMs, expiry) });
  }

  forgetUser(userId: number): void {
    this.generation += 1;
    for (const [key, entry] of this.entries) if (entry.credential.user.id === userId) this.entries.delete(key);
  }

  clear(): void {
    this.generation += 1;
    this.entries.clear();
  }
}

/** Whether a viewer's writes can change what other people may do: site staff, and a community's leaders and moderators. */
export function changesOthersAccess(viewer: Viewer): boolean {
  if (viewer.role !== 'member') return true;
  for (const role of viewer.memberships.values()) if (role !== 'member') return true;
  return false;
}
