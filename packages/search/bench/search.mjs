// Benchmarks the embedded search index (built dist/) at 10k and 100k posts: indexing throughput,
// search and similar() latency, snapshot save/load. Synthetic threads are made from the words, post
// lengths, questions and tags of the StackExchange dumps in /work/shared/datasets (or a generated
// vocabulary when they are missing).
// Run: pnpm --filter @praxis/search build && pnpm --filter @praxis/search bench [-- --iid] [-- --slowest]
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createEmbeddedSearchIndex, SEARCH_DOCUMENT_VERSION } from '../dist/index.js';

const DATASETS = ['/work/shared/datasets/beer', '/work/shared/datasets/quantumcomputing'];
const SIZES = [10_000, 100_000];
const BATCH = 500;
const QUERIES = 500;
const SIMILAR_QUERIES = 300;
const WARMUP = 50;
const COMMUNITIES = 6;
const SHOW_SLOWEST = process.argv.includes('--slowest');
/** The viewer reads all communities but one, so the permission filter has work to do. */
const READABLE = Array.from({ length: COMMUNITIES - 1 }, (_, i) => i + 1);

/** Deterministic, so runs are comparable. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function readJsonl(path) {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));
}

const WORD = /[\p{L}\p{N}]+/gu;

/** Word frequencies, post lengths, and per-question topics (title, words of the question and its answers, tags). */
function loadCorpus() {
  const counts = new Map();
  const lengths = [];
  const topics = [];
  for (const dir of DATASETS) {
    const questions = readJsonl(join(dir, 'questions.jsonl'));
    const answers = readJsonl(join(dir, 'answers.jsonl'));
    const byQuestion = new Map(questions.map((question) => [question.id, { question, words: [] }]));
    for (const post of [...questions, ...answers]) {
      const words = (`${post.title ?? ''} ${post.body_text ?? ''}`.match(WORD) ?? []).map((word) => word.toLowerCase());
      for (const word of words) counts.set(word, (counts.get(word) ?? 0) + 1);
      lengths.push(Math.max(5, words.length));
      byQuestion.get(post.question_id ?? post.id)?.words.push(...words);
    }
    for (const { question, words } of byQuestion.values()) {
      const title = (question.title ?? '').match(WORD) ?? [];
      if (title.length > 0 && words.length > 0)
        topics.push({ title: title.map((word) => word.toLowerCase()), words, tags: question.tags ?? [] });
    }
  }
  if (topics.length < 100) return generatedCorpus();
  const vocabulary = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  return { vocabulary, lengths, topics, source: `StackExchange beer + quantumcomputing (${topics.length} topics)` };
}

/** Zipf-distributed made-up words, when the datasets are not there. */
function generatedCorpus() {
  const next = random(7);
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const word = () => Array.from({ length: 3 + Math.floor(next() * 8) }, () => letters[Math.floor(next() * 26)]).join('');
  const vocabulary = Array.from({ length: 5000 }, (_, rank) => [word(), Math.round(100_000 / (rank + 1))]);
  const sampleWord = wordSampler(vocabulary, next);
  const lengths = Array.from({ length: 1000 }, () => 20 + Math.floor(next() * 280));
  const tags = Array.from({ length: 150 }, word);
  const topics = Array.from({ length: 1000 }, () => ({
    title: Array.from({ length: 8 }, sampleWord),
    words: Array.from({ length: 400 }, sampleWord),
    tags: [pick(tags, next)],
  }));
  return { vocabulary, lengths, topics, source: 'generated (datasets missing)' };
}

/** Draws words with their corpus frequency. */
function wordSampler(vocabulary, next) {
  const cumulative = [];
  let total = 0;
  for (const [, count] of vocabulary) cumulative.push((total += count));
  return () => {
    const target = next() * total;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (cumulative[mid] < target) low = mid + 1;
      else high = mid;
    }
    return vocabulary[low][0];
  };
}

function pick(items, next) {
  return items[Math.floor(next() * items.length)];
}

/**
 * Real text is bursty: a thread repeats the words of its subject. Each synthetic thread takes a real
 * question as its topic and draws TOPICAL of its words from it, the rest from the whole corpus. With
 * --iid every word is drawn from the whole corpus, so mid-frequency words land in almost every thread
 * (a worst case for an engine that scores every posting).
 */
const TOPICAL = process.argv.includes('--iid') ? 0 : 0.6;

function wordSource(corpus, next) {
  const sampleWord = wordSampler(corpus.vocabulary, next);
  return (topicWords) => () => (next() < TOPICAL ? pick(topicWords, next) : sampleWord());
}

function sentence(length, draw) {
  return `${Array.from({ length }, draw).join(' ')}.`;
}

/** Threads of 1–9 posts (5 on average) until `posts` posts exist. */
function buildThreads(corpus, posts, next) {
  const source = wordSource(corpus, next);
  const threads = [];
  let made = 0;
  while (made < posts) {
    const topic = pick(corpus.topics, next);
    const size = Math.min(posts - made, 1 + Math.floor(next() * 9));
    const texts = Array.from({ length: size }, () => sentence(pick(corpus.lengths, next), source(topic.words)));
    const id = threads.length + 1;
    const createdAt = 1_600_000_000_000 + id * 60_000;
    threads.push({
      id,
      version: SEARCH_DOCUMENT_VERSION,
      communityId: 1 + (id % COMMUNITIES),
      title: sentence(topic.title.length, source(topic.title)).replace(/\.$/, '?'),
      tags: topic.tags,
      status: pick(['open', 'open', 'solved', 'locked'], next),
      kind: 'question',
      body: texts[0],
      replies: texts.slice(1).join('\n\n'),
      authorId: 1 + Math.floor(next() * 1000),
      replyCount: size - 1,
      score: Math.floor(next() * 20),
      createdAt,
      lastActivityAt: createdAt + Math.floor(next() * 1e9),
    });
    made += size;
  }
  return threads;
}

function typo(word, next) {
  const at = 1 + Math.floor(next() * (word.length - 2));
  const letter = 'abcdefghijklmnopqrstuvwxyz'[Math.floor(next() * 26)];
  return word.slice(0, at) + letter + word.slice(at + 1);
}

/** A mix of common, rare, prefix and misspelt queries of 1–3 words. */
function buildQueries(corpus, count, next) {
  const words = corpus.vocabulary.map(([word]) => word).filter((word) => /^\p{L}+$/u.test(word));
  const common = words.slice(20, 300);
  const mid = words.slice(300, 3000);
  const rare = words.slice(3000, 8000);
  const long = mid.filter((word) => word.length >= 6);
  const kinds = [
    ['common', () => pick(common, next)],
    ['rare', () => pick(rare.length > 0 ? rare : mid, next)],
    ['prefix', () => pick(long, next).slice(0, 3 + Math.floor(next() * 2))],
    ['typo', () => typo(pick(long, next), next)],
  ];
  return Array.from({ length: count }, (_, i) => {
    const [kind, last] = kinds[i % kinds.length];
    const length = 1 + Math.floor(next() * 3);
    const leading = Array.from({ length: length - 1 }, () => pick(next() < 0.5 ? common : mid, next));
    return { kind, q: [...leading, last()].join(' ') };
  });
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function latencies(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] };
}

/**
 * Wall time, and CPU time of this process: the machine may be shared (other builds, tests), and CPU
 * time is what the engine costs when it does not wait for a core.
 */
async function time(action) {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = await action();
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - start, cpuMs: (used.user + used.system) / 1000, value };
}

async function measureSearch(index, queries) {
  for (const { q } of queries.slice(0, WARMUP)) await index.search({ q, readableCommunityIds: READABLE, limit: 20, offset: 0 });
  const wall = [];
  const cpu = [];
  const byKind = new Map();
  const slowest = [];
  let hits = 0;
  for (const { kind, q } of queries) {
    const { ms, cpuMs, value } = await time(() => index.search({ q, readableCommunityIds: READABLE, limit: 20, offset: 0 }));
    wall.push(ms);
    cpu.push(cpuMs);
    if (!byKind.has(kind)) byKind.set(kind, []);
    byKind.get(kind).push(ms);
    slowest.push({ q, kind, ms, cpuMs, total: value.total });
    if (value.total > 0) hits++;
  }
  if (SHOW_SLOWEST)
    for (const query of slowest.sort((a, b) => b.cpuMs - a.cpuMs).slice(0, 8)) console.log('  slow:', JSON.stringify(query));
  const kinds = Object.fromEntries([...byKind].map(([kind, samples]) => [kind, latencies(samples)]));
  return { ...latencies(wall), cpu: latencies(cpu), kinds, withHits: hits / queries.length };
}

async function measureSimilar(index, threads, next) {
  const wall = [];
  const cpu = [];
  for (let i = 0; i < SIMILAR_QUERIES + WARMUP; i++) {
    const source = pick(threads, next);
    // Someone typing a title close to an existing one: drop a word, keep the rest.
    const words = source.title.split(' ');
    words.splice(Math.floor(next() * words.length), 1);
    const { ms, cpuMs } = await time(() => index.similar({ title: words.join(' '), readableCommunityIds: READABLE, limit: 5 }));
    if (i < WARMUP) continue;
    wall.push(ms);
    cpu.push(cpuMs);
  }
  return { ...latencies(wall), cpu: latencies(cpu) };
}

async function measureSnapshot(threads) {
  const dir = await mkdtemp(join(tmpdir(), 'praxis-search-bench-'));
  try {
    const snapshotPath = join(dir, 'search.json');
    const writer = createEmbeddedSearchIndex({ snapshotPath });
    await writer.upsert(threads);
    const save = await time(() => writer.close());
    const bytes = (await stat(snapshotPath)).size;
    const reader = createEmbeddedSearchIndex({ snapshotPath });
    const load = await time(() => reader.ensureReady());
    if ((await reader.count()) !== threads.length) throw new Error('the snapshot did not restore every thread');
    return { saveMs: save.ms, loadMs: load.ms, megabytes: bytes / 1e6 };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function benchmark(corpus, posts) {
  const next = random(posts);
  const threads = buildThreads(corpus, posts, next);
  const index = createEmbeddedSearchIndex();
  await index.ensureReady();
  const indexing = await time(async () => {
    for (let i = 0; i < threads.length; i += BATCH) await index.upsert(threads.slice(i, i + BATCH));
  });
  const seconds = indexing.ms / 1000;
  const search = await measureSearch(index, buildQueries(corpus, QUERIES, next));
  const similar = await measureSimilar(index, threads, next);
  await index.close();
  const heapMb = process.memoryUsage().heapUsed / 1e6;
  const snapshot = await measureSnapshot(threads);
  return {
    posts,
    threads: threads.length,
    indexSeconds: seconds,
    postsPerSecond: posts / seconds,
    threadsPerSecond: threads.length / seconds,
    search,
    similar,
    snapshot,
    heapMb,
  };
}

const ms = (value) => `${value.toFixed(2)} ms`;

function printTable(results) {
  const rows = [
    ['posts', (r) => r.posts.toLocaleString('en')],
    ['threads', (r) => r.threads.toLocaleString('en')],
    ['index time', (r) => `${r.indexSeconds.toFixed(1)} s`],
    ['posts/s', (r) => Math.round(r.postsPerSecond).toLocaleString('en')],
    ['threads/s', (r) => Math.round(r.threadsPerSecond).toLocaleString('en')],
    ['search p50', (r) => ms(r.search.p50)],
    ['search p99', (r) => ms(r.search.p99)],
    ['search max', (r) => ms(r.search.max)],
    ['search p50 / p99 cpu', (r) => `${ms(r.search.cpu.p50)} / ${ms(r.search.cpu.p99)}`],
    ...['common', 'rare', 'prefix', 'typo'].map((kind) => [
      `  ${kind} p50/p99`,
      (r) => `${ms(r.search.kinds[kind].p50)} / ${ms(r.search.kinds[kind].p99)}`,
    ]),
    ['queries with hits', (r) => `${Math.round(r.search.withHits * 100)} %`],
    ['similar p50', (r) => ms(r.similar.p50)],
    ['similar p99', (r) => ms(r.similar.p99)],
    ['similar p50 / p99 cpu', (r) => `${ms(r.similar.cpu.p50)} / ${ms(r.similar.cpu.p99)}`],
    ['snapshot size', (r) => `${r.snapshot.megabytes.toFixed(1)} MB`],
    ['snapshot save', (r) => ms(r.snapshot.saveMs)],
    ['snapshot load', (r) => ms(r.snapshot.loadMs)],
    ['heap used (with bench data)', (r) => `${Math.round(r.heapMb)} MB`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log(`${''.padEnd(width)}${results.map((r) => `${r.posts / 1000}k posts`.padStart(24)).join('')}`);
  for (const [label, format] of rows) console.log(`${label.padEnd(width)}${results.map((r) => format(r).padStart(24)).join('')}`);
}

const corpus = loadCorpus();
console.log(
  `vocabulary: ${corpus.vocabulary.length.toLocaleString('en')} words from ${corpus.source}; ${TOPICAL > 0 ? 'topical' : 'i.i.d.'} text; node ${process.version}`,
);
const [load] = loadavg();
if (load > cpus().length)
  console.log(`note: load average ${load.toFixed(1)} on ${cpus().length} cores; wall times include waiting for a core, CPU times do not`);
const results = [];
for (const posts of SIZES) {
  console.log(`indexing ${posts.toLocaleString('en')} posts…`);
  results.push(await benchmark(corpus, posts));
}
printTable(results);
console.log(
  JSON.stringify({
    bench: 'search-embedded',
    text: TOPICAL > 0 ? 'topical' : 'iid',
    node: process.version,
    loadAverage: loadavg()[0],
    results,
  }),
);
