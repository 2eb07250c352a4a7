import { AppError, type AuditList } from '@praxis/contracts';
import { and, auditLog, communities, desc, eq, lt, users, type SQL } from '@praxis/db';
import type { Deps } from '../../context.js';
import { decodeCursor, encodeCursor } from '../threads/cursor.js';
import { userBits } from '../threads/queries.js';

type Tx = Deps['db'];

export interface AuditRecord {
  actorId: number;
  action: string;
  subjectType: 'post' | 'thread' | 'user' | 'community' | 'settings';
  subjectId: number;
  communityId: number | null;
  details?: Record<string, unknown>;
}

/** One audit_log row; call it inside the transaction that makes the change. */
export async function writeAudit(tx: Tx, record: AuditRecord, now: Date): Promise<void> {
  await tx.insert(auditLog).values({ ...record, details: record.details ?? {}, createdAt: now });
}

/** A page of the audit log, newest first: one community's, or the whole site's. */
export async function listAudit(
  deps: Deps,
  communityId: number | null,
  page: { cursor?: string | undefined; limit?: number | undefined },
): Promise<AuditList> {
  const limit = page.limit ?? 50;
  const cursor = decodeCursor(page.cursor, ['number']);
  const conditions: (SQL | undefined)[] = [
    communityId === null ? undefined : eq(auditLog.communityId, communityId),
    cursor ? lt(auditLog.id, cursor[0] as number) : undefined,
  ];
  const rows = await deps.db
    .select({ entry: auditLog, actor: userBits, community: { slug: communities.slug, name: communities.name } })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .leftJoin(communities, eq(communities.id, auditLog.communityId))
    .where(and(...conditions))
    .orderBy(desc(auditLog.id))
    .limit(limit + 1);
  const items = rows.slice(0, limit).map((r) => ({
    id: r.entry.id,
    actor: r.actor && r.actor.id !== null ? r.actor : null,
    action: r.entry.action,
    subjectType: r.entry.subjectType,
    subjectId: r.entry.subjectId,
    community: r.community && r.community.slug !== null ? r.community : null,
    details: (r.entry.details ?? {}) as Record<string, unknown>,
    createdAt: r.entry.createdAt.toISOString(),
  }));
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor([last.id]) : null };
}

/** A date in the future, or a clear 400. */
export function futureDate(value: string, now: Date, field = 'until'): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new AppError('VALIDATION_FAILED', 'That is not a date', { [field]: 'is not a date' });
  if (date <= now) throw new AppError('VALIDATION_FAILED', 'Pick a date in the future', { [field]: 'must be in the future' });
  return date;
}
