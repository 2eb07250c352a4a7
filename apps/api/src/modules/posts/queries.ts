import { asc, eq, postRevisions, users } from '@praxis/db';
import { renderMarkdown } from '@praxis/domain';
import type { Deps } from '../../context.js';
import { userBits } from '../threads/queries.js';

export async function listRevisions(deps: Deps, postId: number) {
  const rows = await deps.db
    .select({ revision: postRevisions, editor: userBits })
    .from(postRevisions)
    .leftJoin(users, eq(users.id, postRevisions.editorId))
    .where(eq(postRevisions.postId, postId))
    .orderBy(asc(postRevisions.revision));
  return rows.map(({ revision, editor }) => ({
    revision: revision.revision,
    body: revision.body,
    html: renderMarkdown(revision.body),
    editor: editor && editor.id !== null ? editor : null,
    reason: revision.reason,
    createdAt: revision.createdAt.toISOString(),
  }));
}
