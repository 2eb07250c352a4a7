import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  charterRevisions,
  communities,
  memberships,
  postRevisions,
  posts,
  seedDataDir,
  sql,
  tags as tagsTable,
  threads,
  users,
} from '@praxis/db';
import { excerpt, normalizeTags, renderMarkdown } from '@praxis/domain';
import type { Deps } from '../context.js';

interface SePost {
  id: number;
  body_text: string;
  author_id: number | null;
  author_display_name?: string;
  created_at: string;
}
interface SeQuestion extends SePost {
  title: string;
  tags: string[];
  accepted_answer_id?: number | null;
  score?: number;
}
interface SeAnswer extends SePost {
  question_id: number;
  score: number;
  accepted?: boolean;
}
interface SeUser {
  id: number;
  display_name: string;
  created_at: string;
}

const SITE = 'https://beer.stackexchange.com';

const CHARTER = `## Purpose
A place for people who brew, serve, judge or simply love beer, wine and spirits to learn from each other.

## Scope
Brewing and fermentation, styles and history, tasting and serving, storage and pairing. Questions about a specific product's price or availability are out of scope.

## How we work
- Ask one question per thread, with what you already tried or read.
- Answer with sources or experience; say which.
- Accept the answer that solved it, so the next person finds it.

## Where the demo content comes from
The threads in this demo community are a sample of [Beer, Wine & Spirits Stack Exchange](${SITE}) from its public data dump (2020-06-01), licensed [CC BY-SA](https://creativecommons.org/licenses/by-sa/4.0/). Each post links to its original and credits its author; adaptations are shared under the same licence.`;

function load<T>(file: string): T[] {
  return JSON.parse(readFileSync(join(seedDataDir, 'beer', file), 'utf8')) as T[];
}

const usernameFor = (u: SeUser) =>
  `${
    u.display_name
      .normalize('NFKD')
      .replace(/[^A-Za-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 20) || 'user'
  }_${u.id}`.replace(/^_/, 'u');

// The dump's text has one line per paragraph; markdown needs a blank line between them.
const paragraphs = (text: string) => text.replace(/\n+/g, '\n\n');

/** CC BY-SA asks for the author, a link to the original and the licence, on every post. */
function credit(kind: 'q' | 'a', post: SePost, users: Map<number, SeUser>): string {
  const author = post.author_id === null ? undefined : users.get(post.author_id);
  const by = author
    ? `[${author.display_name.replace(/[[\]]/g, '')}](${SITE}/users/${author.id})`
    : (post.author_display_name ?? 'a deleted account');
  const licence =
    post.created_at < '2018-05-02'
      ? ['3.0', 'https://creativecommons.org/licenses/by-sa/3.0/']
      : ['4.0', 'https://creativecommons.org/licenses/by-sa/4.0/'];
  return `\n\n*[Originally posted](${SITE}/${kind}/${post.id}) on Beer, Wine & Spirits Stack Exchange by ${by} · [CC BY-SA ${licence[0]}](${licence[1]})*`;
}

/** Seeds the demo community on an empty database. Imported rows keep their original authors, times and scores. */
export async function seedDemoCommunity(deps: Deps, adminId: number): Promise<{ threads: number; posts: number } | null> {
  const [{ count } = { count: 0 }] = await deps.db.select({ count: sql<number>`count(*)::int` }).from(communities);
  if (count > 0) return null;
  const questions = load<SeQuestion>('questions.json').sort((a, b) => a.created_at.localeCompare(b.created_at));
  const answers = load<SeAnswer>('answers.json');
  const seUsers = new Map(load<SeUser>('users.json').map((u) => [u.id, u]));

  return deps.db.transaction(async (tx) => {
    const [community] = await tx
      .insert(communities)
      .values({
        slug: 'beer',
        name: 'Beer, Wine & Spirits',
        description: 'Brewing, styles, tasting and serving — learn from people who make and love them.',
        charter: CHARTER,
        charterHtml: renderMarkdown(CHARTER),
        charterRevision: 1,
        createdBy: adminId,
      })
      .returning();
    if (!community) throw new Error('insert returned no row');
    await tx.insert(charterRevisions).values({ communityId: community.id, revision: 1, charter: CHARTER, editorId: adminId });

    const userIds = new Map<number, number>();
    const seUserList = [...seUsers.values()];
    for (let i = 0; i < seUserList.length; i += 500) {
      const batch = seUserList.slice(i, i + 500);
      const rows = await tx
        .insert(users)
        .values(
          batch.map((u) => ({
            username: usernameFor(u),
            email: `se-${u.id}@beer.stackexchange.invalid`,
            displayName: u.display_name,
            trustLevel: 1,
            createdAt: new Date(u.created_at),
          })),
        )
        .returning({ id: users.id, email: users.email });
      for (const row of rows) userIds.set(Number(row.email.slice(3, row.email.indexOf('@'))), row.id);
    }
    await tx
      .insert(memberships)
      .values([
        { communityId: community.id, userId: adminId, role: 'leader' as const },
        ...[...userIds.values()].map((userId) => ({ communityId: community.id, userId })),
      ]);

    const answersByQuestion = new Map<number, SeAnswer[]>();
    for (const a of answers) answersByQuestion.set(a.question_id, [...(answersByQuestion.get(a.question_id) ?? []), a]);
    const tagCounts = new Map<string, number>();
    let postTotal = 0;

    for (const q of questions) {
      const replies = (answersByQuestion.get(q.id) ?? []).sort((a, b) => a.created_at.localeCompare(b.created_at));
      const tags = normalizeTags(q.tags).slice(0, 5);
      for (const t of tags) tagCounts.set(t, (tagCounts.get(t) ?? 0) + 1);
      const lastActivity = replies.at(-1)?.created_at ?? q.created_at;
      const questionBody = paragraphs(q.body_text) + credit('q', q, seUsers);
      const [thread] = await tx
        .insert(threads)
        .values({
          communityId: community.id,
          authorId: q.author_id === null ? null : (userIds.get(q.author_id) ?? null),
          kind: 'question',
          title: q.title,
          tags,
          excerpt: excerpt(q.body_text),
          replyCount: replies.length,
          postCount: replies.length + 1,
          score: q.score ?? 0,
          createdAt: new Date(q.created_at),
          updatedAt: new Date(lastActivity),
          lastActivityAt: new Date(lastActivity),
        })
        .returning({ id: threads.id });
      if (!thread) throw new Error('insert returned no row');
      const bodies = [
        {
          number: 1,
          seId: q.id,
          kind: 'q' as const,
          authorSe: q.author_id,
          body: questionBody,
          createdAt: q.created_at,
          score: q.score ?? 0,
        },
        ...replies.map((a, i) => ({
          number: i + 2,
          seId: a.id,
          kind: 'a' as const,
          authorSe: a.author_id,
          body: paragraphs(a.body_text) + credit('a', a, seUsers),
          createdAt: a.created_at,
          score: a.score,
        })),
      ];
      const inserted = await tx
        .insert(posts)
        .values(
          bodies.map((b) => ({
            threadId: thread.id,
            authorId: b.authorSe === null ? null : (userIds.get(b.authorSe) ?? null),
            number: b.number,
            body: b.body,
            html: renderMarkdown(b.body),
            score: b.score,
            importedScore: b.score,
            createdAt: new Date(b.createdAt),
          })),
        )
        .returning({ id: posts.id, number: posts.number, authorId: posts.authorId, body: posts.body, createdAt: posts.createdAt });
      await tx
        .insert(postRevisions)
        .values(inserted.map((p) => ({ postId: p.id, revision: 1, body: p.body, editorId: p.authorId, createdAt: p.createdAt })));
      const acceptedIndex = replies.findIndex((a) => a.accepted || a.id === q.accepted_answer_id);
      const accepted = acceptedIndex >= 0 ? inserted.find((p) => p.number === acceptedIndex + 2) : undefined;
      if (accepted)
        await tx
          .update(threads)
          .set({ solutionPostId: accepted.id, status: 'solved' })
          .where(sql`${threads.id} = ${thread.id}`);
      postTotal += inserted.length;
    }
    if (tagCounts.size > 0)
      await tx.insert(tagsTable).values([...tagCounts].map(([name, threadCount]) => ({ communityId: community.id, name, threadCount })));
    await tx
      .update(communities)
      .set({ memberCount: userIds.size + 1, threadCount: questions.length })
      .where(sql`${communities.id} = ${community.id}`);
    return { threads: questions.length, posts: postTotal };
  });
}
