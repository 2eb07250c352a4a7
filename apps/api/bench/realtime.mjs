// Benchmark: post → socket event latency with many connected socket.io clients, end to end through
// the real pipeline (HTTP reply → outbox → relay → queue → realtime handler → bus → socket.io).
// Modes: embedded (one process: in-process queue and bus) and, when Redis and PostgreSQL are reachable,
// distributed (API process + worker process, BullMQ and Redis pub/sub). The baseline, measured in the
// same run against the same server, is the HTTP round trip of the reply itself.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createScratchDatabase } from '@praxis/db';
import { io } from 'socket.io-client';

const clients = Number(process.env.BENCH_SOCKETS ?? 200);
const posts = Number(process.env.BENCH_POSTS ?? 40);
const matchExperts = Number(process.env.BENCH_EXPERTS ?? 24);
const matchQuestions = Number(process.env.BENCH_QUESTIONS ?? 30);
const apiDist = fileURLToPath(new URL('../dist/', import.meta.url));
const workerMain = fileURLToPath(new URL('../../worker/dist/main.js', import.meta.url));
const admin = { email: 'bench-admin@example.test', password: 'benchmark password' };

/** Starts a process and resolves once its output matches `readyPattern` (or at once without one). */
function startProcess(script, env, readyPattern) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], {
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    if (!readyPattern) resolve(child);
    const onData = (chunk) => {
      output += chunk;
      if (process.env.BENCH_VERBOSE) process.stderr.write(`[${script.split('/').pop()}] ${chunk}`);
      if (readyPattern?.test(output)) resolve(child);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}:\n${output.slice(-2000)}`)));
  });
}

async function waitForHealth(origin) {
  // Up to two minutes: PGlite's cold start (the WASM compile) takes tens of seconds on a busy 2-core machine.
  for (let i = 0; i < 1200; i++) {
    try {
      if ((await fetch(`${origin}/api/v1/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${origin} did not come up`);
}

async function session(origin, account = { path: '/api/v1/auth/login', body: { login: admin.email, password: admin.password } }) {
  const response = await fetch(`${origin}${account.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify(account.body),
  });
  if (!response.ok) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
  const cookie = response.headers.get('set-cookie').split(';')[0];
  const call = (method, path, body) =>
    fetch(`${origin}${path}`, {
      method,
      headers: { 'content-type': 'application/json', origin, cookie },
      body: body && JSON.stringify(body),
    }).then(async (r) => {
      if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
      return r.json();
    });
  call.cookie = cookie;
  return call;
}

const register = (origin, username) =>
  session(origin, { path: '/api/v1/auth/register', body: { username, email: `${username}@example.test`, password: 'benchmark password' } });

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

async function measure(label, origin) {
  await waitForHealth(origin);
  const as = await session(origin);
  // Bench users are newcomers (TL0) who post far more than a real newcomer's daily limits allow.
  await as('PUT', '/api/v1/admin/trust', {
    newcomerLimits: { linksPerPost: 100, mentionsPerPost: 100, postsPerDay: 100000, topicsPerDay: 100000 },
  });
  await as('POST', '/api/v1/communities', { slug: 'bench', name: 'Bench' });
  const thread = await as('POST', '/api/v1/threads', {
    community: 'bench',
    title: 'A thread many people are reading',
    body: 'Watch this space.',
  });

  const sockets = [];
  // Arrival times by post id: an event can arrive before the reply's HTTP response is read.
  const arrivals = new Map();
  let arrived = 0;
  let expected = 0;
  let sending = true;
  let resolveAll;
  const allArrived = new Promise((r) => (resolveAll = r));
  for (let i = 0; i < clients; i++) {
    const socket = io(origin, { transports: ['websocket'], reconnection: false, forceNew: true });
    await new Promise((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    const ack = await socket.timeout(5000).emitWithAck('thread.join', { threadId: thread.id });
    if (!ack.ok) throw new Error(`thread.join refused: ${JSON.stringify(ack)}`);
    socket.on('post.created', (event) => {
      arrivals.set(event.postId, [...(arrivals.get(event.postId) ?? []), performance.now()]);
      arrived += 1;
      if (!sending && arrived === expected) resolveAll();
    });
    sockets.push(socket);
  }

  const sentAt = new Map();
  const roundTrips = [];
  for (let i = 0; i < posts; i++) {
    const started = performance.now();
    const post = await as('POST', `/api/v1/threads/${thread.id}/posts`, { body: `Update number ${i}` });
    roundTrips.push(performance.now() - started);
    sentAt.set(post.id, started);
    expected += clients;
    await new Promise((r) => setTimeout(r, 50));
  }
  sending = false;
  if (arrived === expected) resolveAll();
  const timeout = setTimeout(() => resolveAll(), 20_000);
  await allArrived;
  clearTimeout(timeout);
  const latencies = [...sentAt].flatMap(([postId, started]) => (arrivals.get(postId) ?? []).map((at) => at - started));
  const missing = [...sentAt.keys()].filter((id) => (arrivals.get(id)?.length ?? 0) < clients);
  if (missing.length > 0) console.error(`${label}: posts whose event did not reach every client within 20 s: ${missing.join(', ')}`);
  for (const socket of sockets) socket.close();
  return {
    label,
    clients,
    posts,
    delivered: latencies.length,
    expected,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    httpP50: percentile(roundTrips, 50),
    httpP99: percentile(roundTrips, 99),
  };
}

const topics = [
  'dry hopping',
  'keg carbonation',
  'yeast starters',
  'water chemistry',
  'bottle conditioning',
  'kettle souring',
  'mash temperature',
  'lager fermentation',
  'barrel aging',
  'hop storage',
  'wort chilling',
  'cider making',
];

/**
 * Question → matched expert's socket event: experts who answered earlier questions listen on their own
 * socket.io connection (room user:<id>); a newcomer asks; the time from sending each question to each
 * matched expert receiving its 'notification.created' (kind expert_match) event.
 */
async function measureMatching(label, origin) {
  const as = await session(origin);
  await as('POST', '/api/v1/communities', { slug: 'matching', name: 'Matching' });
  const experts = [];
  for (let i = 0; i < matchExperts; i++) {
    const expert = await register(origin, `expert${i}`);
    await expert('POST', '/api/v1/communities/matching/join', {});
    experts.push(expert);
  }
  for (const [t, topic] of topics.entries()) {
    const thread = await as('POST', '/api/v1/threads', {
      community: 'matching',
      title: `How do I get ${topic} right?`,
      body: `Looking for advice on ${topic}.`,
    });
    for (let i = t % 3; i < matchExperts; i += 3 + (t % 4))
      await experts[i]('POST', `/api/v1/threads/${thread.id}/posts`, { body: `On ${topic}: it took me a few batches to learn.` });
  }
  const arrivals = new Map();
  const sockets = [];
  for (const expert of experts) {
    const socket = io(origin, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { cookie: expert.cookie } });
    await new Promise((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    socket.on('notification.created', (event) => {
      if (event.kind === 'expert_match') arrivals.set(event.threadId, [...(arrivals.get(event.threadId) ?? []), performance.now()]);
    });
    sockets.push(socket);
  }
  // Let the worker index the history and count the experts' answers before the questions arrive.
  await new Promise((r) => setTimeout(r, 3000));
  const asker = await register(origin, 'newcomer');
  await asker('POST', '/api/v1/communities/matching/join', {});
  const sentAt = new Map();
  for (let i = 0; i < matchQuestions; i++) {
    const topic = topics[i % topics.length];
    const started = performance.now();
    const thread = await asker('POST', '/api/v1/threads', {
      community: 'matching',
      title: `Question ${i}: trouble with ${topic}`,
      body: `What am I doing wrong with ${topic}?`,
    });
    sentAt.set(thread.id, started);
    await new Promise((r) => setTimeout(r, 100));
  }
  const expected = matchQuestions * 3;
  const deadline = Date.now() + 20_000;
  const delivered = () => [...sentAt.keys()].reduce((n, id) => n + (arrivals.get(id)?.length ?? 0), 0);
  while (delivered() < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  for (const socket of sockets) socket.close();
  const latencies = [...sentAt].flatMap(([threadId, started]) => (arrivals.get(threadId) ?? []).map((at) => at - started));
  return {
    label,
    experts: matchExperts,
    questions: matchQuestions,
    delivered: latencies.length,
    expected,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

/** Both measurements against one running server. */
async function measureAll(label, origin) {
  const posts = await measure(label, origin);
  return { posts, matching: await measureMatching(label, origin) };
}

async function embedded() {
  const dataDir = mkdtempSync(join(tmpdir(), 'praxis-bench-rt-'));
  const port = 3600 + Math.floor(Math.random() * 300);
  const env = {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    SEED_DEMO: 'false',
    ADMIN_EMAIL: admin.email,
    ADMIN_PASSWORD: admin.password,
    WRITE_RATE_LIMIT: '100000',
    AUTH_RATE_LIMIT: '100000',
    REDIS_URL: '',
    DATABASE_URL: '',
    MEILI_URL: '',
  };
  // The API with the in-process worker, without the web app (embedded.js would also mount it).
  const script = join(dataDir, 'start.mjs');
  await import('node:fs').then((fs) =>
    fs.writeFileSync(
      script,
      `import { start } from ${JSON.stringify(join(apiDist, 'start.js'))};\nawait start({ workerEntry: ${JSON.stringify(join(apiDist, '../../worker/dist/index.js'))} });\n`,
    ),
  );
  const api = await startProcess(script, env);
  try {
    return await measureAll('embedded (in-process queue and bus)', `http://127.0.0.1:${port}`);
  } finally {
    api.kill('SIGTERM');
    await new Promise((r) => api.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function distributed() {
  const adminUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL;
  const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  if (!adminUrl) return null;
  const scratch = await createScratchDatabase(adminUrl, 'praxis_bench');
  const databaseUrl = scratch.url;
  const dataDir = mkdtempSync(join(tmpdir(), 'praxis-bench-rt-'));
  const port = 3600 + Math.floor(Math.random() * 300);
  const env = {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    SEED_DEMO: 'false',
    ADMIN_EMAIL: admin.email,
    ADMIN_PASSWORD: admin.password,
    WRITE_RATE_LIMIT: '100000',
    AUTH_RATE_LIMIT: '100000',
    REDIS_URL: redisUrl,
    DATABASE_URL: databaseUrl,
  };
  const api = await startProcess(join(apiDist, 'server.js'), env);
  await waitForHealth(`http://127.0.0.1:${port}`);
  const worker = await startProcess(workerMain, env, /worker started/);
  try {
    return await measureAll('distributed (BullMQ + Redis pub/sub, PostgreSQL)', `http://127.0.0.1:${port}`);
  } finally {
    for (const child of [worker, api]) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    if (process.env.BENCH_KEEP) console.error(`kept database ${databaseUrl}`);
    else await scratch.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const runs = [await embedded()];
const second = await distributed().catch((error) => {
  console.error(`distributed mode skipped: ${error.message}`);
  return null;
});
if (second) runs.push(second);
else console.log('(distributed mode needs BENCH_DATABASE_URL or TEST_DATABASE_URL and Redis)');
const rows = runs.map((r) => r.posts);
const matching = runs.map((r) => r.matching);

const ms = (v) => `${v.toFixed(1)} ms`;
console.log(`\npost → socket event, ${clients} socket.io clients on one thread, ${posts} replies`);
console.log(
  'mode'.padEnd(52),
  'delivered'.padStart(12),
  'p50'.padStart(10),
  'p99'.padStart(10),
  'reply HTTP p50'.padStart(16),
  'p99/HTTP p50'.padStart(14),
);
for (const r of rows)
  console.log(
    r.label.padEnd(52),
    `${r.delivered}/${r.expected}`.padStart(12),
    ms(r.p50).padStart(10),
    ms(r.p99).padStart(10),
    ms(r.httpP50).padStart(16),
    `${(r.p99 / r.httpP50).toFixed(1)}×`.padStart(14),
  );
console.log(
  `\nquestion → matched expert's socket event (expert_match), ${matchExperts} experts connected, ${matchQuestions} questions by a newcomer, 3 experts each`,
);
console.log('mode'.padEnd(52), 'delivered'.padStart(12), 'p50'.padStart(10), 'p99'.padStart(10), 'p99/post p99'.padStart(14));
for (const [i, r] of matching.entries())
  console.log(
    r.label.padEnd(52),
    `${r.delivered}/${r.expected}`.padStart(12),
    ms(r.p50).padStart(10),
    ms(r.p99).padStart(10),
    `${(r.p99 / rows[i].p99).toFixed(1)}×`.padStart(14),
  );
const mode = (label) => label.split(' ')[0];
console.log(
  JSON.stringify({
    realtime: rows.map(({ label, ...figures }) => ({ mode: mode(label), ...figures })),
    matching: matching.map(({ label, ...figures }) => ({ mode: mode(label), ...figures })),
  }),
);
