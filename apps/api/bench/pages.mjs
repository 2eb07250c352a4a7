// Benchmark: what people load, through the built embedded server (`apps/api/dist/embedded.js`: API, web app and
// worker in one process) with the demo community, on PGlite and (with BENCH_DATABASE_URL or TEST_DATABASE_URL)
// on PostgreSQL. Every throughput row is printed with its ratio to a bare Fastify route measured in the same run.
// Rows: thread page HTML anonymous and signed in, thread JSON signed in and anonymous (100 connections), replies/s
// from 10 writers with tokens (every accepted reply read back afterwards), PSS of all Praxis processes idle and
// after the load, and live fan-out (viewers on one thread doing what the page does on `post.created`).
import { fork } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { createScratchDatabase } from '@praxis/db';
import { io } from 'socket.io-client';

const duration = Number(process.env.BENCH_DURATION ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const writers = Number(process.env.BENCH_WRITERS ?? 10);
const writeDuration = Number(process.env.BENCH_WRITE_DURATION ?? duration);
const viewers = Number(process.env.BENCH_VIEWERS ?? 100);
const fanoutReplies = Number(process.env.BENCH_FANOUT_REPLIES ?? 20);
// BENCH_PAGES_ONLY: a comma list of embedded (the default embedded database, PostgreSQL 18 child processes), pglite
// (EMBEDDED_DATABASE=pglite) and postgres (DATABASE_URL on BENCH_DATABASE_URL/TEST_DATABASE_URL's server); all by default.
const only = process.env.BENCH_PAGES_ONLY ? new Set(process.env.BENCH_PAGES_ONLY.split(',')) : null;
const runsRow = (name) => !only || only.has(name);
// Which groups of rows: reads, writes, fanout (all by default). BENCH_EXEC_ARGV: node flags for the server, e.g. --cpu-prof.
const groups = new Set((process.env.BENCH_ROWS ?? 'reads,writes,fanout').split(','));
const execArgv = process.env.BENCH_EXEC_ARGV ? process.env.BENCH_EXEC_ARGV.split(' ') : [];
const embeddedScript = fileURLToPath(new URL('../dist/embedded.js', import.meta.url));
const bareScript = fileURLToPath(new URL('./server.mjs', import.meta.url));
const admin = { email: 'bench-admin@example.test', password: 'benchmark password' };
const commandLine = `BENCH_DURATION=${duration} BENCH_CONNECTIONS=${connections} BENCH_WRITERS=${writers} BENCH_VIEWERS=${viewers} node apps/api/bench/pages.mjs`;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
};

// ---- processes and memory ----

/** PSS (kB) of a process and all its descendants (an embedded database's server processes included). */
function pssOfTree(rootPid) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  let total = 0;
  let processes = 0;
  const visit = (pid) => {
    try {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      total += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
      processes += 1;
    } catch {
      // gone meanwhile
    }
    for (const child of children.get(pid) ?? []) visit(child);
  };
  visit(rootPid);
  return { mb: total / 1024, processes };
}

/** PSS of the subtrees of a process's direct children named `comm` (the embedded PostgreSQL server and its backends). */
function pssOfChildren(parentPid, comm) {
  let mb = 0;
  let processes = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== parentPid || readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== comm) continue;
      const tree = pssOfTree(Number(entry));
      mb += tree.mb;
      processes += tree.processes;
    } catch {
      // gone meanwhile
    }
  }
  return { mb, processes };
}

function startBare() {
  return new Promise((resolve, reject) => {
    const child = fork(bareScript, ['bare'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (m) => resolve({ child, url: `http://127.0.0.1:${m.port}${m.path}` }));
    child.once('exit', (code) => reject(new Error(`bare server exited with ${code}`)));
  });
}

async function stop(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(15_000).then(() => child.kill('SIGKILL'))]);
  await exited;
}

/** The built embedded server, as `npm start` runs it, with its own DATA_DIR and PORT; resolves when it answers. */
async function startEmbedded(env) {
  const started = performance.now();
  const child = fork(embeddedScript, [], {
    execArgv,
    env: { ...process.env, LOG_LEVEL: 'warn', PRAXIS_BENCH_PROBE: '1', REDIS_URL: '', MEILI_URL: '', SEED_DEMO: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  const onData = (chunk) => {
    output += chunk;
    if (process.env.BENCH_VERBOSE) process.stderr.write(`[embedded] ${chunk}`);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  let exited = false;
  child.once('exit', () => (exited = true));
  const origin = `http://127.0.0.1:${env.PORT}`;
  for (;;) {
    if (exited) throw new Error(`embedded server exited:\n${output.slice(-3000)}`);
    try {
      if ((await fetch(`${origin}/api/v1/health`)).ok) break;
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  return { child, origin, coldStartMs: performance.now() - started };
}

/** Asks the server's bench probe (src/bench-probe.ts) something and waits for its answer. */
const probe = (child, message, answer) =>
  new Promise((resolve) => {
    const onMessage = (m) => {
      if (m?.probe !== answer) return;
      child.off('message', onMessage);
      resolve(m);
    };
    child.on('message', onMessage);
    child.send(message);
  });
const apiCalls = async (child) => (await probe(child, { probe: 'api-calls' }, 'api-calls')).apiCalls;

// ---- HTTP helpers ----

async function signIn(origin, path, body) {
  const response = await fetch(`${origin}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path} failed: ${response.status} ${await response.text()}`);
  const cookie = response.headers
    .getSetCookie()
    .find((c) => c.startsWith('praxis_session='))
    .split(';')[0];
  const call = async (method, url, payload) => {
    const r = await fetch(`${origin}${url}`, {
      method,
      headers: { 'content-type': 'application/json', origin, cookie },
      body: payload && JSON.stringify(payload),
    });
    if (!r.ok) throw new Error(`${method} ${url}: ${r.status} ${await r.text()}`);
    return r.status === 204 ? null : r.json();
  };
  call.cookie = cookie;
  return call;
}

/** Runs `task` over `items` with at most `limit` at once. */
async function pool(items, limit, task) {
  const results = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await task(items[i], i);
      }
    }),
  );
  return results;
}

/**
 * autocannon stops at the deadline, but the server still works off the requests it had queued: one more request
 * (answered after them) lets that backlog drain before the next row, so no row pays for the one before.
 */
const drain = (url, headers) =>
  fetch(url, { headers }).then(
    (r) => r.arrayBuffer(),
    () => undefined,
  );

async function load(url, { headers = {}, conns = connections } = {}) {
  await autocannon({ url, headers, connections: Math.min(conns, 10), duration: 1 }); // warm-up
  await drain(url, headers);
  let result = await autocannon({ url, headers, connections: conns, duration, timeout: 60 });
  await drain(url, headers);
  if (result.requests.total < 2 * conns) {
    // Too slow for the window (answers still queued at its end are dropped): measure a fixed number of answers instead.
    result = await autocannon({ url, headers, connections: conns, amount: 2 * conns, timeout: 120 });
    await drain(url, headers);
    return {
      rps: result.requests.total / result.duration,
      p99: result.latency.p99,
      errors: result.non2xx + result.errors + result.timeouts,
      note: `${2 * conns} answers in ${result.duration.toFixed(0)} s`,
    };
  }
  return { rps: result.requests.total / duration, p99: result.latency.p99, errors: result.non2xx + result.errors + result.timeouts };
}

/** Outbox drained: the worker has caught up with the seed or the load. */
async function settle(as) {
  for (let i = 0; i < 600; i++) {
    const status = await as('GET', '/api/v1/admin/pipeline');
    if (status.outbox.pending === 0) return;
    await sleep(100);
  }
}

// ---- the rows ----

/** `writers` writers, each with their own token, reply to one thread as fast as they can; every accepted reply is read back. */
async function replies(origin, tokens, threadId) {
  const accepted = [];
  let refused = 0;
  const until = performance.now() + writeDuration * 1000;
  const latencies = [];
  await Promise.all(
    tokens.map(async (token, w) => {
      for (let n = 0; performance.now() < until; n++) {
        const started = performance.now();
        const response = await fetch(`${origin}/api/v1/threads/${threadId}/posts`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ body: `Writer ${w}, reply ${n}: ${'a few words about fermentation '.repeat(4)}` }),
        }).catch(() => null);
        latencies.push(performance.now() - started);
        if (response?.status === 201) accepted.push((await response.json()).id);
        else {
          refused += 1;
          await response?.text();
        }
      }
    }),
  );
  const elapsed = writeDuration;
  const missing = (
    await pool(
      accepted,
      10,
      async (id) => (await fetch(`${origin}/api/v1/posts/${id}`, { headers: { authorization: `Bearer ${tokens[0]}` } })).status === 200,
    )
  ).filter((ok) => !ok).length;
  return { rps: accepted.length / elapsed, accepted: accepted.length, refused, missing, p99: percentile(latencies, 99) };
}

/**
 * `viewers` signed-in viewers on one thread, each with the page loaded and a socket.io connection joined to the
 * thread, doing what the thread page does on `post.created` (apps/web live-thread.ts): fetch only the posts after the
 * last one it shows (`GET /api/v1/threads/:id/posts?after=N`), and send its batched read mark (`POST /api/v1/me/reads`)
 * at most every 10 s. (When the page changes what it fetches on an event, change `onPostCreated`.)
 * Replies are sent one at a time; each waits until every viewer's refetch shows it (or 10 s).
 */
async function fanout(embedded, as, pagePath, threadId) {
  const { origin, child } = embedded;
  const seen = new Map(); // marker → array of latencies
  const sentAt = new Map();
  let failedRefreshes = 0;
  const sessions = await pool(
    Array.from({ length: viewers }, (_, i) => i),
    4,
    (i) =>
      signIn(origin, '/api/v1/auth/register', { username: `viewer${i}`, email: `viewer${i}@example.test`, password: 'benchmark password' }),
  );
  const sockets = await pool(sessions, 10, async (viewer) => {
    await fetch(`${origin}${pagePath}`, { headers: { cookie: viewer.cookie } }).then((r) => r.text());
    const socket = io(origin, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { cookie: viewer.cookie } });
    await new Promise((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    const ack = await socket.timeout(10_000).emitWithAck('thread.join', { threadId });
    if (!ack.ok) throw new Error(`thread.join refused: ${JSON.stringify(ack)}`);
    let refreshing = null;
    let again = false;
    let lastNumber = 0;
    let markedNumber = 0;
    let markedAt = 0;
    const markRead = () => {
      if (lastNumber <= markedNumber || performance.now() - markedAt < 10_000) return;
      markedNumber = lastNumber;
      markedAt = performance.now();
      void fetch(`${origin}/api/v1/me/reads`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin, cookie: viewer.cookie },
        body: JSON.stringify({ items: [{ threadId, lastPostNumber: lastNumber }] }),
      }).then(
        (r) => r.text(),
        () => (failedRefreshes += 1),
      );
    };
    const refresh = async () => {
      const url = `${origin}/api/v1/threads/${threadId}/posts?after=${lastNumber}`;
      // One retry: a kept-alive connection the server closed meanwhile resets the first attempt.
      const text = await fetch(url, { headers: { cookie: viewer.cookie } })
        .catch(() => fetch(url, { headers: { cookie: viewer.cookie } }))
        .then((r) => r.text())
        .catch(() => {
          failedRefreshes += 1;
          return '';
        });
      const now = performance.now();
      try {
        for (const post of JSON.parse(text).items ?? []) lastNumber = Math.max(lastNumber, post.number);
      } catch {
        failedRefreshes += 1;
      }
      markRead();
      for (const [marker, started] of sentAt) {
        const list = seen.get(marker);
        if (!list.done.has(viewer) && text.includes(marker)) {
          list.done.add(viewer);
          list.push(now - started);
        }
      }
    };
    const onPostCreated = () => {
      if (refreshing) return void (again = true);
      refreshing = (async () => {
        do {
          again = false;
          await refresh();
        } while (again);
      })().finally(() => (refreshing = null));
    };
    socket.on('post.created', (event) => {
      if (event.threadId === threadId) onPostCreated();
    });
    return socket;
  });

  const before = await apiCalls(child);
  for (let i = 0; i < fanoutReplies; i++) {
    const marker = `live-marker-${i}-${Date.now()}`;
    const list = Object.assign([], { done: new Set() });
    seen.set(marker, list);
    sentAt.set(marker, performance.now());
    await as('POST', `/api/v1/threads/${threadId}/posts`, { body: `Live reply ${marker}` });
    const deadline = Date.now() + 10_000;
    while (list.length < viewers && Date.now() < deadline) await sleep(5);
    sentAt.delete(marker);
  }
  await sleep(200); // refetches still in flight count too
  const calls = (await apiCalls(child)) - before;
  for (const socket of sockets) socket.close();
  const latencies = [...seen.values()].flat();
  return {
    viewers,
    replies: fanoutReplies,
    callsPerReply: calls / fanoutReplies,
    visible: latencies.length,
    failedRefreshes,
    expected: viewers * fanoutReplies,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

async function measure(label, databaseUrl, extraEnv = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'praxis-bench-pages-'));
  const port = 3900 + Math.floor(Math.random() * 500);
  const env = {
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_ORIGIN: `http://127.0.0.1:${port}`,
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl ?? '',
    ADMIN_EMAIL: admin.email,
    ADMIN_PASSWORD: admin.password,
    WRITE_RATE_LIMIT: '1000000',
    AUTH_RATE_LIMIT: '1000000',
    EMBEDDED_DATABASE: '',
    EMBEDDED_PG_PORT: '',
    ...extraEnv,
  };
  const bare = await startBare();
  const embedded = await startEmbedded(env);
  const rows = [];
  try {
    const { origin, child } = embedded;
    const as = await signIn(origin, '/api/v1/auth/login', { login: admin.email, password: admin.password });
    await settle(as);
    await sleep(2000);
    // The embedded PostgreSQL's processes are children of the Node process: its tree holds them (databaseMb: their share).
    // BENCH_DATABASE_PID: a database server started outside Praxis for it counts as one of its processes too.
    const memory = () => {
      const own = pssOfTree(child.pid);
      const embeddedDb = pssOfChildren(child.pid, 'postgres');
      const server =
        process.env.BENCH_DATABASE_PID && databaseUrl ? pssOfTree(Number(process.env.BENCH_DATABASE_PID)) : { mb: 0, processes: 0 };
      return { mb: own.mb + server.mb, processes: own.processes + server.processes, databaseMb: server.mb + embeddedDb.mb };
    };
    const idle = memory();

    // Bench users are newcomers (TL0) who post far more than a real newcomer's daily limits allow.
    await as('PUT', '/api/v1/admin/trust', {
      newcomerLimits: { linksPerPost: 100, mentionsPerPost: 100, postsPerDay: 100_000, topicsPerDay: 100_000 },
    });
    const list = await as('GET', '/api/v1/threads?community=beer&limit=3');
    const [read, written, live] = list.items;
    // A demo thread padded to 20 posts, as the issue's page measurements.
    const detail = await as('GET', `/api/v1/threads/${read.id}`);
    for (let i = detail.posts.length; i < 20; i++)
      await as('POST', `/api/v1/threads/${read.id}/posts`, { body: `Reply number ${i + 1}: ${'lorem ipsum dolor sit amet '.repeat(8)}` });
    const pagePath = new URL((await fetch(`${origin}/t/${read.id}`, { redirect: 'manual' })).headers.get('location'), origin).pathname;
    const token = (await as('POST', '/api/v1/me/tokens', { name: 'bench' })).token;
    let memberCookie;
    const writerTokens = await pool(
      Array.from({ length: writers }, (_, i) => i),
      2,
      async (i) => {
        const writer = await signIn(origin, '/api/v1/auth/register', {
          username: `writer${i}`,
          email: `writer${i}@example.test`,
          password: 'benchmark password',
        });
        await writer('POST', '/api/v1/communities/beer/join', {});
        if (i === 0) memberCookie = writer.cookie;
        return (await writer('POST', '/api/v1/me/tokens', { name: 'bench' })).token;
      },
    );
    await settle(as);

    const bare50 = await load(bare.url);
    rows.push({ row: 'bare Fastify route', ...bare50, ratio: 1 });
    const ratio = (r, base = bare50) => ({ ...r, ratio: r.rps / base.rps });
    if (groups.has('reads')) {
      rows.push({ row: 'thread page HTML, anonymous', ...ratio(await load(`${origin}${pagePath}`)), goal: 0.05 });
      rows.push({
        row: 'thread page HTML, signed in (member)',
        ...ratio(await load(`${origin}${pagePath}`, { headers: { cookie: memberCookie } })),
        goal: 0.015,
      });
      rows.push({
        row: 'thread page HTML, signed in (admin)',
        ...ratio(await load(`${origin}${pagePath}`, { headers: { cookie: as.cookie } })),
        goal: 0.015,
      });
      rows.push({
        row: 'thread JSON, signed in (token)',
        ...ratio(await load(`${origin}/api/v1/threads/${read.id}`, { headers: { authorization: `Bearer ${token}` } })),
        goal: 0.03,
      });
      const bare100 = await load(bare.url, { conns: 100 });
      rows.push({ row: 'bare Fastify route, 100 connections', ...bare100, ratio: 1 });
      rows.push({
        row: 'thread JSON, anonymous, 100 connections',
        ...ratio(await load(`${origin}/api/v1/threads/${read.id}`, { conns: 100 }), bare100),
        goal: 0.4,
      });
    }
    if (groups.has('writes')) {
      // BENCH_CPU_PROFILE=<dir>: a CPU profile of the server while the writers run (and the worker catches up).
      const profileDir = process.env.BENCH_CPU_PROFILE;
      if (profileDir) await probe(child, { probe: 'cpu-profile-start' }, 'cpu-profile-started');
      const writes = await replies(origin, writerTokens, written.id);
      if (profileDir) {
        await settle(as);
        await probe(
          child,
          { probe: 'cpu-profile-stop', file: join(profileDir, `writes-${databaseUrl ? 'postgres' : 'pglite'}-${Date.now()}.cpuprofile`) },
          'cpu-profile-stopped',
        );
      }
      rows.push({
        row: `replies/s, ${writers} writers with tokens`,
        rps: writes.rps,
        p99: writes.p99,
        errors: writes.refused,
        ratio: writes.rps / bare50.rps,
        note: `${writes.accepted} accepted, ${writes.missing} missing afterwards`,
        missing: writes.missing,
        goal: databaseUrl ? '≥ 730/s' : '≥ 146/s',
      });
    }
    await settle(as);
    await sleep(2000);
    const afterLoad = memory();
    const live1 = groups.has('fanout')
      ? await fanout(
          embedded,
          as,
          new URL((await fetch(`${origin}/t/${live.id}`, { redirect: 'manual' })).headers.get('location'), origin).pathname,
          live.id,
        )
      : null;
    return { label, rows, memory: { idle, afterLoad }, coldStartMs: embedded.coldStartMs, fanout: live1, pagePath };
  } finally {
    await stop(embedded.child);
    await stop(bare.child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function print(run) {
  console.log(`\nwhat people load, through the built embedded server with the demo data: ${commandLine}`);
  console.log(`autocannon -c ${connections} -d ${duration} (the anonymous JSON row: -c 100, against a bare route at -c 100)`);
  console.log(
    `\n${run.label} (thread page ${run.pagePath}; first start, migrations and demo seed included: ${(run.coldStartMs / 1000).toFixed(1)} s)`,
  );
  console.log(
    'row'.padEnd(42),
    'req/s'.padStart(9),
    'p99 ms'.padStart(8),
    'ratio'.padStart(8),
    'goal'.padStart(9),
    'errors'.padStart(7),
    ' note',
  );
  for (const r of run.rows)
    console.log(
      r.row.padEnd(42),
      r.rps.toFixed(0).padStart(9),
      String(Math.round(r.p99)).padStart(8),
      r.ratio.toFixed(3).padStart(8),
      String(r.goal ?? '').padStart(9),
      String(r.errors).padStart(7),
      ` ${r.note ?? ''}`,
    );
  const m = run.memory;
  console.log(
    `memory (PSS of ${m.idle.processes} process(es), children included${m.idle.databaseMb ? `, database server ${m.idle.databaseMb.toFixed(0)} / ${m.afterLoad.databaseMb.toFixed(0)} MB of it` : ''}): idle after start ${m.idle.mb.toFixed(0)} MB (goal ≤ 200), after the load ${m.afterLoad.mb.toFixed(0)} MB (goal ≤ 300)`,
  );
  const f = run.fanout;
  if (f)
    console.log(
      `live fan-out: ${f.viewers} signed-in viewers, ${f.replies} replies: ${f.callsPerReply.toFixed(1)} API calls per reply (${(f.callsPerReply / f.viewers).toFixed(2)} × viewers; goal ≤ 1.1), reply → visible on every page p50 ${f.p50.toFixed(0)} ms, p99 ${f.p99.toFixed(0)} ms (goal < 300), ${f.visible}/${f.expected} seen, ${f.failedRefreshes} failed refetches`,
    );
}

const runs = [];
if (runsRow('embedded')) print(runs[runs.push(await measure('embedded (default: PostgreSQL 18 child processes)', undefined)) - 1]);
if (runsRow('pglite'))
  print(runs[runs.push(await measure('embedded, PGlite (EMBEDDED_DATABASE=pglite)', undefined, { EMBEDDED_DATABASE: 'pglite' })) - 1]);
const adminUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL;
if (adminUrl && runsRow('postgres')) {
  const scratch = await createScratchDatabase(adminUrl, 'praxis_bench');
  try {
    print(runs[runs.push(await measure('embedded process, PostgreSQL', scratch.url)) - 1]);
  } finally {
    await scratch.drop();
  }
} else if (!adminUrl) console.log('(set TEST_DATABASE_URL or BENCH_DATABASE_URL to also measure on PostgreSQL)');

console.log(JSON.stringify({ bench: 'pages', commandLine, runs }));
if (runs.some((run) => run.rows.some((r) => r.missing > 0))) process.exit(1);
