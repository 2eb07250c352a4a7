#!/usr/bin/env node
// Writes the demo-data subset that Praxis ships for seeding (packages/db/seed/beer/*.json) from the
// converted beer.stackexchange.com dump (see that folder's SOURCE.md and our ATTRIBUTION.md).
//
//   node scripts/make-seed-subset.mjs [dataset-dir] [--count 143] [--top-share 0.6]
//                                      [--out packages/db/seed/beer] [--max-bytes 600000]
//
// dataset-dir defaults to ../shared/datasets/beer relative to the repository root. Plain Node ESM,
// no dependencies, deterministic (same input → byte-identical output).
//
// Selection: questions with at least one answer, ranked by score (ties: more answers, lower id).
// --top-share (60 %) of the slots go to the top of that ranking; the rest make sure many tags are
// present: for each tag not yet covered (most common tags first) the best-scored question carrying
// it is added. 143 questions keep the three files under ~600 KB (top posts have long answers).
// Plus the 6 most recent open questions without an answer, so the demo has work to do.
// All answers of the chosen questions are kept, and only the users who wrote them.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function parseArgs(argv) {
  const opts = {
    dir: resolve(repoRoot, '../shared/datasets/beer'),
    count: 143,
    topShare: 0.6,
    out: join(repoRoot, 'packages/db/seed/beer'),
    maxBytes: 600_000,
    unanswered: 6,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--count') opts.count = Number(argv[++i]);
    else if (arg === '--out') opts.out = resolve(argv[++i]);
    else if (arg === '--max-bytes') opts.maxBytes = Number(argv[++i]);
    else if (arg === '--top-share') opts.topShare = Number(argv[++i]);
    else if (arg === '-h' || arg === '--help') {
      console.log('usage: node scripts/make-seed-subset.mjs [dataset-dir] [--count N] [--top-share 0..1] [--out DIR] [--max-bytes N]');
      process.exit(0);
    } else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}`);
    else opts.dir = resolve(arg);
  }
  if (!Number.isInteger(opts.count) || opts.count < 1) throw new Error('--count must be a positive integer');
  if (!(opts.topShare >= 0 && opts.topShare <= 1)) throw new Error('--top-share must be between 0 and 1');
  return opts;
}

function readJsonl(file) {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      try {
        return JSON.parse(line);
      } catch (err) {
        throw new Error(`${file}:${i + 1}: ${err.message}`);
      }
    });
}

/** One record per line: readable diffs, still a plain JSON array. */
function toJson(rows) {
  return rows.length === 0 ? '[]\n' : `[\n${rows.map((r) => JSON.stringify(r)).join(',\n')}\n]\n`;
}

/** Keeps `keys` in this order; adds the dump's display name when the account was deleted, for attribution. */
function pick(row, keys) {
  const out = {};
  for (const key of keys) out[key] = row[key] ?? null;
  if (row.author_id == null && row.author_display_name) out.author_display_name = row.author_display_name;
  return out;
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const questions = readJsonl(join(opts.dir, 'questions.jsonl'));
  const answers = readJsonl(join(opts.dir, 'answers.jsonl'));
  const users = readJsonl(join(opts.dir, 'users.jsonl'));

  const answersByQuestion = new Map();
  for (const a of answers) {
    const list = answersByQuestion.get(a.question_id) ?? [];
    list.push(a);
    answersByQuestion.set(a.question_id, list);
  }

  const nAnswers = (q) => answersByQuestion.get(q.id)?.length ?? 0;
  const ranked = questions
    .filter((q) => nAnswers(q) > 0)
    .sort((a, b) => (b.score ?? 0) - (a.score ?? 0) || nAnswers(b) - nAnswers(a) || a.id - b.id);

  const count = Math.min(opts.count, ranked.length);
  const chosen = new Set(ranked.slice(0, Math.round(count * opts.topShare)));

  // Tag mix: cover the most common tags that the top of the ranking missed.
  const tagFreq = new Map();
  for (const q of ranked) for (const t of q.tags ?? []) tagFreq.set(t, (tagFreq.get(t) ?? 0) + 1);
  const tagsByFreq = [...tagFreq.keys()].sort((a, b) => tagFreq.get(b) - tagFreq.get(a) || a.localeCompare(b));
  const covered = () => new Set([...chosen].flatMap((q) => q.tags ?? []));
  let have = covered();
  for (const tag of tagsByFreq) {
    if (chosen.size >= count) break;
    if (have.has(tag)) continue;
    const best = ranked.find((q) => !chosen.has(q) && (q.tags ?? []).includes(tag));
    if (best) {
      chosen.add(best);
      have = covered();
    }
  }
  // Fill any remaining slots from the top of the ranking.
  for (const q of ranked) {
    if (chosen.size >= count) break;
    chosen.add(q);
  }

  // A few recent questions nobody answered, so the demo's "unanswered" lists have something in them.
  const unanswered = questions
    .filter((q) => nAnswers(q) === 0 && q.closed_at == null)
    .sort((a, b) => b.created_at.localeCompare(a.created_at) || a.id - b.id)
    .slice(0, opts.unanswered);
  for (const q of unanswered) chosen.add(q);

  const qKeys = ['id', 'title', 'body_text', 'tags', 'author_id', 'created_at', 'accepted_answer_id', 'score'];
  const aKeys = ['id', 'question_id', 'body_text', 'author_id', 'created_at', 'score', 'accepted'];
  const outQuestions = [...chosen].sort((a, b) => a.id - b.id).map((q) => pick(q, qKeys));
  const outAnswers = outQuestions
    .flatMap((q) => answersByQuestion.get(q.id) ?? [])
    .sort((a, b) => a.id - b.id)
    .map((a) => ({ ...pick(a, aKeys), accepted: Boolean(a.accepted) }));

  // Consistency: accepted_answer_id must point at a shipped answer of the same question.
  const answerById = new Map(outAnswers.map((a) => [a.id, a]));
  for (const q of outQuestions) {
    if (q.accepted_answer_id != null && answerById.get(q.accepted_answer_id)?.question_id !== q.id) q.accepted_answer_id = null;
  }
  for (const a of outAnswers) {
    const q = outQuestions.find((x) => x.id === a.question_id);
    a.accepted = q?.accepted_answer_id === a.id;
  }

  const authorIds = new Set([...outQuestions, ...outAnswers].map((p) => p.author_id).filter((id) => id != null));
  const userById = new Map(users.map((u) => [u.id, u]));
  const missing = [...authorIds].filter((id) => !userById.has(id));
  if (missing.length > 0) throw new Error(`authors missing from users.jsonl: ${missing.join(', ')}`);
  const outUsers = [...authorIds]
    .sort((a, b) => a - b)
    .map((id) => {
      const u = userById.get(id);
      return { id: u.id, display_name: u.display_name, created_at: u.created_at };
    });

  const files = {
    'questions.json': toJson(outQuestions),
    'answers.json': toJson(outAnswers),
    'users.json': toJson(outUsers),
  };
  const total = Object.values(files).reduce((n, s) => n + Buffer.byteLength(s), 0);
  if (total > opts.maxBytes) throw new Error(`subset is ${total} bytes, over --max-bytes ${opts.maxBytes}: lower --count`);

  mkdirSync(opts.out, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(opts.out, name), text);

  const tags = new Set(outQuestions.flatMap((q) => q.tags ?? []));
  console.log(
    `wrote ${opts.out}: ${outQuestions.length} questions, ${outAnswers.length} answers, ${outUsers.length} users, ` +
      `${tags.size}/${tagFreq.size} tags, ${total} bytes`,
  );
}

try {
  main();
} catch (err) {
  console.error(`make-seed-subset: ${err.message}`);
  process.exit(1);
}
