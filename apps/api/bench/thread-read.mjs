// Benchmark: anonymous JSON read of a 20-post thread vs a bare Fastify route, measured in the same run.
// Each server runs in its own process; autocannon runs here. Absolute numbers drift on shared machines: read the ratio.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const duration = Number(process.env.BENCH_DURATION ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 100);
const serverScript = fileURLToPath(new URL('./server.mjs', import.meta.url));

function startServer(mode, env = {}) {
  return new Promise((resolve, reject) => {
    const child = fork(serverScript, [mode], { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (m) => resolve({ child, ...m }));
    child.once('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
  });
}

const ask = (child, message) =>
  new Promise((resolve) => {
    child.once('message', resolve);
    child.send(message);
  });

async function load(url, headers = {}) {
  await autocannon({ url, headers, connections: 10, duration: 2 }); // warm-up
  const result = await autocannon({ url, headers, connections, duration });
  return { rps: result.requests.average, p99: result.latency.p99, non2xx: result.non2xx + result.errors };
}

async function measure(label, mode, env) {
  const server = await startServer(mode, env);
  const url = `http://127.0.0.1:${server.port}${server.path}`;
  const rows = [{ label, ...(await load(url)), fresh: null }];
  if (mode === 'praxis') {
    rows[0].body = await fetch(url).then((r) => r.text());
    // Signed-in reads are never cached: this row shows the database path itself.
    rows.push({
      label: `${label.replace('thread read', 'signed in')}, uncached`,
      ...(await load(url, { authorization: `Bearer ${server.token}` })),
      fresh: null,
    });
    rows[0].fresh = (await ask(server.child, 'check')).fresh;
  }
  server.child.send('stop');
  await new Promise((resolve) => server.child.once('exit', resolve));
  return rows;
}

const rows = await measure('bare Fastify route', 'bare');
const pglite = await measure('thread read, PGlite', 'praxis', { BENCH_DATABASE_URL: '' });
rows.push(...pglite);
rows.push(...(await measure(`bare route, same ${(pglite[0].body.length / 1024).toFixed(1)} KB`, 'bare', { BENCH_BODY: pglite[0].body })));
const pgUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL;
if (pgUrl) rows.push(...(await measure('thread read, PostgreSQL', 'praxis', { BENCH_DATABASE_URL: pgUrl })));
else console.log('(set TEST_DATABASE_URL or BENCH_DATABASE_URL to also measure on PostgreSQL)');

const base = rows[0].rps;
console.log(`\nanonymous read of a 20-post thread, autocannon -c ${connections} -d ${duration}\n`);
console.log('scenario                                req/s     p99 ms   ratio   errors  fresh-after-write');
for (const r of rows) {
  console.log(
    `${r.label.padEnd(39)} ${r.rps.toFixed(0).padStart(7)} ${String(r.p99).padStart(8)} ${(r.rps / base).toFixed(2).padStart(7)} ${String(r.non2xx).padStart(8)}  ${r.fresh === null ? '-' : r.fresh ? 'yes' : 'NO'}`,
  );
}
console.log(
  JSON.stringify({
    bench: 'thread-read',
    connections,
    duration,
    rows: rows.map(({ body: _body, ...r }) => ({ ...r, ratio: +(r.rps / base).toFixed(3) })),
  }),
);
if (rows.some((r) => r.non2xx > 0 || r.fresh === false)) process.exit(1);
