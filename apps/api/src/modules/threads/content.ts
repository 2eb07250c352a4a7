import { inArray, sql, users } from '@praxis/db';
import { parseMentions, renderMarkdown } from '@praxis/domain';
import type { Db } from '@praxis/db';

/** Renders a post body, turning @mentions of existing users into profile links. */
export async function renderBody(db: Db, body: string): Promise<{ html: string; mentions: string[] }> {
  const candidates = parseMentions(body);
  if (candidates.length === 0) return { html: renderMarkdown(body), mentions: [] };
  const rows = await db
    .select({ username: sql<string>`lower(${users.username})` })
    .from(users)
    .where(inArray(sql`lower(${users.username})`, candidates));
  const existing = new Set(rows.map((r) => r.username));
  const mentions = candidates.filter((name) => existing.has(name));
  return { html: renderMarkdown(body, { userExists: (name) => existing.has(name.toLowerCase()) }), mentions };
}
