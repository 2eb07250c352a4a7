// Benchmark: the community health dashboard's queries at 100k posts, on PGlite and (with
// TEST_DATABASE_URL or BENCH_DATABASE_URL) on PostgreSQL. Each query is timed on its own and as the
// whole report, beside a baseline in the same process: one indexed count(*) of the community's
// threads, and the community's thread-list query (the page every visitor loads).
import { createTestDatabase, sql } from '@praxis/db';
import { weeksOf } from '@praxis/domain';
import {
  communityHealth,
  loadExpertLoad,
  loadGuideFigures,
  loadParticipationMovement,
  loadQuestionFigures,
  loadRetention,
  loadUnanswered,
} from '../dist/modules/health/queries.js';

const POSTS = Number(process.env.BENCH_POSTS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const USERS = 2_000;
const POSTS_PER_THREAD = 5; // a question and four replies on average
const SPAN_DAYS = 730; // two years of history

async function seed(database) {
  const db = database.db;
  const threadsN = Math.round(POSTS / POSTS_PER_THREAD);
  await db.execute(
    sql`insert into users (username, email, display_name) select 'u' || g, 'u' || g || '@example.test', 'User ' || g from generate_series(1, ${USERS}) g`,
  );
  await db.execute(sql`insert into communities (slug, name) values ('bench', 'Bench'), ('other', 'Other')`);
  await db.execute(
    sql`insert into memberships (community_id, user_id, role) select 1, g, case when g <= 5 then 'leader' else 'member' end from generate_series(1, ${USERS}) g`,
  );
  // Threads spread over two years, 90 % in the bench community; tags from a small vocabulary.
  await db.execute(sql`
    insert into threads (community_id, author_id, kind, title, tags, created_at, post_count, reply_count)
    select case when g % 10 = 0 then 2 else 1 end, 1 + (g * 7919) % ${USERS}, case when g % 7 = 0 then 'discussion' else 'question' end,
      'Thread ' || g, array['tag' || (g % 40), 'tag' || (g % 13)],
      now() - (${SPAN_DAYS} * interval '1 day') * (1 - g::float8 / ${threadsN}), 1, 0
    from generate_series(1, ${threadsN}) g`);
  await db.execute(
    sql`insert into posts (thread_id, author_id, number, body, html, created_at) select id, author_id, 1, 'q', 'q', created_at from threads`,
  );
  // Replies: 0–8 per thread (4 on average), by a skewed set of answerers, minutes to days after the question.
  await db.execute(sql`
    insert into posts (thread_id, author_id, number, body, html, created_at)
    select t.id, 1 + ((t.id * 31 + n * 17) % 300) * (1 + (n % 3)), n + 1, 'a', 'a', t.created_at + (interval '1 minute') * (5 + ((t.id * n * 97) % 4000))
    from threads t cross join lateral generate_series(1, (t.id * 13) % 9) n
    where (select count(*) from posts) < ${POSTS}`);
  await db.execute(
    sql`update threads t set solution_post_id = p.id, status = 'solved' from posts p where p.thread_id = t.id and p.number = 2 and t.kind = 'question' and t.id % 3 = 0`,
  );
  await db.execute(sql`insert into expert_matches (thread_id, expert_id, round, rank, state, notified_at)
    select t.id, 1 + (t.id * 7) % 300, 1, 1, case when t.id % 4 = 0 then 'declined' when t.id % 4 = 1 then 'answered' else 'expired' end, t.created_at + interval '1 minute'
    from threads t where t.kind = 'question' and t.id % 2 = 0 on conflict do nothing`);
  await db.execute(sql`insert into expert_stats (user_id, community_id, tag, answers, accepted, last_answer_at)
    select distinct on (p.author_id, tag) p.author_id, 1, tag, 3, 1, max(p.created_at) over (partition by p.author_id, tag)
    from posts p join threads t on t.id = p.thread_id cross join unnest(t.tags) tag where p.number > 1 and t.community_id = 1 and tag not in ('tag7', 'tag19') on conflict do nothing`);
  await db.execute(
    sql`insert into participation (user_id, community_id, level) select g, 1, (array['newcomer','peripheral','active','core','leader'])[1 + g % 5] from generate_series(1, ${USERS}) g`,
  );
  await db.execute(sql`insert into participation_changes (user_id, community_id, from_level, to_level, changed_at)
    select 1 + g % ${USERS}, 1, 'newcomer', 'peripheral', now() - interval '1 hour' * g from generate_series(1, 20000) g`);
  await db.execute(sql`insert into guides (community_id, title, body, html, status, published_at, verified_at)
    select 1, 'Guide ' || g, 'b', 'b', 'published', now() - interval '1 day' * g, now() - interval '1 day' * (g / 2) from generate_series(1, 300) g`);
  await db.execute(sql`analyze`);
  const [{ n }] = (await db.execute(sql`select count(*)::int as n from posts`)).rows;
  return n;
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function time(label, fn) {
  await fn(); // warm-up (plans, caches)
  const ms = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await fn();
    ms.push(performance.now() - start);
  }
  ms.sort((a, b) => a - b);
  return { label, p50: +percentile(ms, 50).toFixed(2), p99: +percentile(ms, 99).toFixed(2), max: +ms.at(-1).toFixed(2) };
}

async function measure(target) {
  const database = await createTestDatabase(target.url);
  try {
    const posts = await seed(database);
    const deps = { db: database.db, clock: { now: () => new Date() } };
    const community = { id: 1, slug: 'bench', name: 'Bench' };
    const now = new Date();
    const periods = {
      '12 weeks': { from: new Date(now.getTime() - 84 * 86_400_000), to: now },
      '2 years': { from: new Date(now.getTime() - 730 * 86_400_000), to: now },
    };
    const rows = [];
    rows.push(
      await time('baseline: count(*) of the community’s threads', () =>
        database.db.execute(sql`select count(*) from threads where community_id = 1`),
      ),
    );
    rows.push(
      await time('baseline: thread list (latest 20)', () =>
        database.db.execute(
          sql`select * from threads where community_id = 1 and deleted_at is null order by last_activity_at desc, id desc limit 20`,
        ),
      ),
    );
    for (const [name, period] of Object.entries(periods)) {
      const scope = { communityId: 1, period, now };
      const { totals } = await loadQuestionFigures(deps, scope);
      // Weekly figures, totals and tag coverage come from one query since the figures are aggregated in SQL.
      rows.push(await time(`${name}: questions, first answers, coverage (${totals.questions} q)`, () => loadQuestionFigures(deps, scope)));
      rows.push(await time(`${name}: unanswered worklist`, () => loadUnanswered(deps, scope)));
      rows.push(await time(`${name}: newcomer retention`, () => loadRetention(deps, scope)));
      rows.push(await time(`${name}: expert load`, () => loadExpertLoad(deps, scope)));
      rows.push(await time(`${name}: participation movement`, () => loadParticipationMovement(deps, scope)));
      rows.push(await time(`${name}: guides`, () => loadGuideFigures(deps, scope)));
      rows.push(await time(`${name}: whole report (${weeksOf(period).length} weeks)`, () => communityHealth(deps, community, period)));
    }
    return { target: target.name, posts, rows };
  } finally {
    await database.close();
  }
}

const targets = [{ name: 'PGlite', url: undefined }];
const pgUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL;
if (pgUrl) targets.push({ name: 'PostgreSQL', url: pgUrl });
else console.log('(set TEST_DATABASE_URL or BENCH_DATABASE_URL to also measure on PostgreSQL)');

const results = [];
for (const target of targets) results.push(await measure(target));
for (const r of results) {
  console.log(`\ncommunity health queries, ${r.target}, ${r.posts} posts, ${RUNS} runs each\n`);
  console.log(`${'query'.padEnd(58)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)}`);
  for (const row of r.rows)
    console.log(`${row.label.padEnd(58)} ${String(row.p50).padStart(8)} ${String(row.p99).padStart(8)} ${String(row.max).padStart(8)}`);
}
console.log(JSON.stringify({ bench: 'health', runs: RUNS, results }));
