import { can, type MembershipRole, type PostRef, type Viewer } from '@praxis/domain';
import { and, asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from './client.js';
import { countListedThread, reconcileCounters, recountReplies } from './counters.js';
import { communities, memberships, posts, tags as tagsTable, threads, users } from './schema.js';
import { createTestDatabase } from './testing.js';
import { threadRef, viewerFrom } from './viewers.js';
import {
  postApproved,
  postApprovedAs,
  postListedInThread,
  postListedInThreadFor,
  postVisibleTo,
  postVisibleToAll,
  postVisibleToAllAs,
  refreshThreadExcerpt,
  replyVisibleToAll,
  replyVisibleToAllAs,
  threadListableBy,
  threadListedForAll,
  threadListedForAllAs,
  threadReadableBy,
} from './visibility.js';

let database: Database;
const ids: Record<string, number> = {};
const now = new Date('2026-12-04T08:00:00Z');
const viewers: Record<string, Viewer | null> = {};

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  const person = async (username: string, role: 'member' | 'moderator' | 'admin' = 'member') => {
    const [row] = await db
      .insert(users)
      .values({ username, email: `${username}@example.test`, displayName: username, role })
      .returning();
    ids[username] = row!.id;
    return row!;
  };
  const people = {
    author: await person('author'),
    member: await person('member'),
    leader: await person('leader'),
    outsider: await person('outsider'),
    sitemod: await person('sitemod', 'moderator'),
    admin: await person('admin', 'admin'),
  };
  for (const visibility of ['public', 'private'] as const) {
    const [community] = await db.insert(communities).values({ slug: visibility, name: visibility, visibility }).returning();
    ids[visibility] = community!.id;
    const roles: [keyof typeof people, MembershipRole][] = [
      ['author', 'member'],
      ['member', 'member'],
      ['leader', 'leader'],
    ];
    for (const [who, role] of roles) await db.insert(memberships).values({ communityId: community!.id, userId: people[who].id, role });
    for (const threadState of ['plain', 'held', 'deleted'] as const) {
      const [thread] = await db
        .insert(threads)
        .values({
          communityId: community!.id,
          authorId: people.author.id,
          title: `${visibility} ${threadState}`,
          heldAt: threadState === 'held' ? now : null,
          deletedAt: threadState === 'deleted' ? now : null,
        })
        .returning();
      let number = 0;
      for (const writer of ['author', 'member'] as const) {
        for (const state of ['visible', 'hidden', 'held', 'deleted', 'hidden+held'] as const) {
          number += 1;
          await db.insert(posts).values({
            threadId: thread!.id,
            authorId: people[writer].id,
            number,
            body: `${writer} ${state}`,
            html: '',
            hiddenAt: state.includes('hidden') ? now : null,
            heldAt: state.includes('held') ? now : null,
            deletedAt: state === 'deleted' ? now : null,
          });
        }
      }
    }
  }
  const rows = await db.select().from(memberships);
  viewers.anonymous = null;
  for (const [name, user] of Object.entries(people)) {
    viewers[name] = viewerFrom(
      user,
      rows.filter((m) => m.userId === user.id),
      now,
    );
  }
}, 60_000);
afterAll(() => database.close());

async function everything() {
  return database.db
    .select({ post: posts, thread: threads, community: communities })
    .from(posts)
    .innerJoin(threads, eq(threads.id, posts.threadId))
    .innerJoin(communities, eq(communities.id, threads.communityId))
    .orderBy(asc(posts.id));
}

describe(`the visibility predicates agree with the policy (${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('posts a viewer may see: post.read on a live thread, deleted posts left out', async () => {
    const rows = await everything();
    for (const [name, viewer] of Object.entries(viewers)) {
      const expected = rows
        .filter(({ post, thread, community }) => {
          const ref: PostRef = {
            id: post.id,
            authorId: post.authorId,
            isFirst: post.number === 1,
            hidden: post.hiddenAt !== null,
            deleted: post.deletedAt !== null,
            ...(post.heldAt !== null && { held: true }),
            thread: threadRef(thread, community),
          };
          return thread.deletedAt === null && post.deletedAt === null && can(viewer, 'post.read', ref);
        })
        .map((r) => r.post.id);
      const actual = (
        await database.db
          .select({ id: posts.id })
          .from(posts)
          .innerJoin(threads, eq(threads.id, posts.threadId))
          .innerJoin(communities, eq(communities.id, threads.communityId))
          .where(postVisibleTo(viewer))
          .orderBy(asc(posts.id))
      ).map((r) => r.id);
      expect({ viewer: name, ids: actual }).toEqual({ viewer: name, ids: expected });
      expect(expected.length).toBeGreaterThan(0);
    }
  });

  it('threads a viewer may open and threads a viewer may list', async () => {
    const rows = await database.db
      .select({ thread: threads, community: communities })
      .from(threads)
      .innerJoin(communities, eq(communities.id, threads.communityId))
      .orderBy(asc(threads.id));
    for (const [name, viewer] of Object.entries(viewers)) {
      const readable = rows.filter(
        ({ thread, community }) => thread.deletedAt === null && can(viewer, 'thread.read', threadRef(thread, community)),
      );
      const listable = readable.filter(({ thread }) => thread.heldAt === null || thread.authorId === viewer?.id);
      const query = (where: ReturnType<typeof threadReadableBy>) =>
        database.db
          .select({ id: threads.id })
          .from(threads)
          .innerJoin(communities, eq(communities.id, threads.communityId))
          .where(where)
          .orderBy(asc(threads.id));
      expect({ viewer: name, ids: (await query(threadReadableBy(viewer))).map((r) => r.id) }).toEqual({
        viewer: name,
        ids: readable.map((r) => r.thread.id),
      });
      expect({ viewer: name, ids: (await query(threadListableBy(viewer))).map((r) => r.id) }).toEqual({
        viewer: name,
        ids: listable.map((r) => r.thread.id),
      });
    }
  });

  it('the posts of a thread page: held ones for their author and moderators; hidden and deleted stay as tombstones', async () => {
    const rows = await everything();
    for (const [name, viewer] of Object.entries(viewers)) {
      for (const visibility of ['public', 'private'] as const) {
        const live = rows.filter((r) => r.community.visibility === visibility && r.thread.heldAt === null && r.thread.deletedAt === null);
        const threadId = live[0]!.thread.id;
        const expected = live
          .filter(({ post, thread, community }) => {
            const ref: PostRef = {
              id: post.id,
              authorId: post.authorId,
              isFirst: false,
              hidden: false,
              deleted: false,
              ...(post.heldAt !== null && { held: true }),
              thread: threadRef(thread, community),
            };
            return post.heldAt === null || can(viewer, 'post.read', ref);
          })
          .map((r) => r.post.id);
        const actual = (
          await database.db
            .select({ id: posts.id })
            .from(posts)
            .where(and(eq(posts.threadId, threadId), postListedInThreadFor(viewer, { communityId: ids[visibility]! })))
            .orderBy(asc(posts.id))
        ).map((r) => r.id);
        expect({ viewer: name, visibility, ids: actual }).toEqual({ viewer: name, visibility, ids: expected });
        // The in-memory form (thread snapshots) keeps the same rows.
        const inMemory = rows
          .filter((r) => r.thread.id === threadId && postListedInThread(viewer, { communityId: ids[visibility]! }, r.post))
          .map((r) => r.post.id)
          .sort((a, b) => a - b);
        expect({ viewer: name, visibility, ids: inMemory }).toEqual({ viewer: name, visibility, ids: actual });
      }
    }
  });
});

describe('the rules written for aliased raw SQL', () => {
  it('select the same rows as the column forms', async () => {
    const idsOf = async (query: ReturnType<typeof sql>) =>
      ((await database.db.execute(query)) as unknown as { rows: { id: number }[] }).rows.map((r) => r.id);
    const pairs = [
      [postVisibleToAll, postVisibleToAllAs('p')],
      [replyVisibleToAll, replyVisibleToAllAs('p')],
      [postApproved, postApprovedAs('p')],
    ] as const;
    for (const [columns, aliased] of pairs) {
      const expected = await idsOf(sql`select id from ${posts} where ${columns} order by id`);
      expect(expected.length).toBeGreaterThan(0);
      expect(await idsOf(sql`select p.id from ${posts} p where ${aliased} order by p.id`)).toEqual(expected);
    }
    const listed = await idsOf(sql`select id from ${threads} where ${threadListedForAll} order by id`);
    expect(await idsOf(sql`select t.id from ${threads} t where ${threadListedForAllAs('t')} order by t.id`)).toEqual(listed);
    expect(() => postVisibleToAllAs('p; drop table posts')).toThrow();
  });
});

describe('the counters', () => {
  it('are repaired by the reconciler from the rows, and a second run finds nothing to repair', async () => {
    const { db } = database;
    await reconcileCounters(db); // the fixture rows above were written without their counters
    const community = ids.public!;
    const [thread] = await db
      .insert(threads)
      .values({ communityId: community, authorId: ids.author!, title: 'counted', tags: ['alpha', 'beta'], excerpt: 'stale' })
      .returning();
    await db.insert(posts).values([
      { threadId: thread!.id, authorId: ids.author!, number: 1, body: 'Opening words', html: '', hiddenAt: now },
      { threadId: thread!.id, authorId: ids.member!, number: 2, body: 'a reply', html: '' },
      { threadId: thread!.id, authorId: ids.member!, number: 3, body: 'a held reply', html: '', heldAt: now },
    ]);
    // Counted through the helper, then drifted on purpose.
    await db.transaction((tx) => countListedThread(tx, { communityId: community, tags: ['alpha', 'beta'] }, 1));
    await db.update(communities).set({ threadCount: 42 }).where(eq(communities.id, community));
    await db.delete(tagsTable).where(eq(tagsTable.name, 'beta'));
    await db.update(tagsTable).set({ threadCount: 7 }).where(eq(tagsTable.name, 'alpha'));

    const repaired = await reconcileCounters(db);
    expect(repaired).toEqual({ communities: 1, tags: 2, replyCounts: 1, postCounts: 1, excerpts: 1 });
    const [row] = await db.select().from(threads).where(eq(threads.id, thread!.id));
    expect(row).toMatchObject({ replyCount: 1, postCount: 3, excerpt: '' });
    const [counted] = await db.select().from(communities).where(eq(communities.id, community));
    const listed = await db.execute(
      sql`select count(*)::int as n from threads where community_id = ${community} and deleted_at is null and held_at is null`,
    );
    expect(counted!.threadCount).toBe((listed as unknown as { rows: { n: number }[] }).rows[0]!.n);
    const tagCounts = await db
      .select({ name: tagsTable.name, n: tagsTable.threadCount })
      .from(tagsTable)
      .where(eq(tagsTable.communityId, community))
      .orderBy(asc(tagsTable.name));
    expect(tagCounts).toEqual([
      { name: 'alpha', n: 1 },
      { name: 'beta', n: 1 },
    ]);
    expect(await reconcileCounters(db)).toEqual({ communities: 0, tags: 0, replyCounts: 0, postCounts: 0, excerpts: 0 });

    // Unhiding the opening post and recounting inside a transaction, as the commands do.
    await db
      .update(posts)
      .set({ hiddenAt: null })
      .where(and(eq(posts.threadId, thread!.id), eq(posts.number, 1)));
    await db.transaction(async (tx) => {
      await refreshThreadExcerpt(tx, thread!.id);
      await recountReplies(tx, thread!.id);
    });
    expect((await db.select().from(threads).where(eq(threads.id, thread!.id)))[0]).toMatchObject({
      excerpt: 'Opening words',
      replyCount: 1,
    });
  });
});
