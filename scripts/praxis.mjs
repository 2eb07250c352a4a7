#!/usr/bin/env node
// The two commands of the README (`npm start`, `npm test`) and `npm run bench`, on a machine with only Node and npm:
// fetch the pinned pnpm into .tools/, install, build with turbo, then start or test.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const PNPM_VERSION = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split('@')[1];
const toolsBin = join(root, '.tools', 'node_modules', '.bin');
const env = {
  ...process.env,
  PATH: `${toolsBin}${delimiter}${process.env.PATH}`,
  TURBO_TELEMETRY_DISABLED: '1',
  TURBO_NO_UPDATE_NOTIFIER: '1',
};

function step(title) {
  console.log(`\n\x1b[1m▸ ${title}\x1b[0m`);
}

function run(command, args, extraEnv = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...env, ...extraEnv } });
  return result.status ?? 1;
}

function must(command, args, extraEnv) {
  const status = run(command, args, extraEnv);
  if (status !== 0) {
    console.error(`\n✖ ${command} ${args.join(' ')} failed (exit ${status})`);
    process.exit(status);
  }
}

function ensurePnpm() {
  const pnpm = join(toolsBin, 'pnpm');
  const installed = existsSync(pnpm) && spawnSync(pnpm, ['--version'], { encoding: 'utf8' }).stdout?.trim() === PNPM_VERSION;
  if (installed) return;
  step(`Fetching pnpm ${PNPM_VERSION} into .tools/`);
  must('npm', [
    'install',
    '--prefix',
    join(root, '.tools'),
    '--no-save',
    '--no-audit',
    '--no-fund',
    '--loglevel=error',
    `pnpm@${PNPM_VERSION}`,
  ]);
}

function installAndBuild() {
  ensurePnpm();
  step('Installing dependencies');
  must('pnpm', ['install', '--frozen-lockfile', '--reporter=append-only']);
  step('Building');
  must('pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only']);
}

function chromiumPath() {
  return [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p && existsSync(p));
}

function collectResults() {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const dirs = ['apps', 'packages'].flatMap((d) => readdirSync(join(root, d)).map((name) => join(root, d, name))).concat(join(root, 'e2e'));
  for (const dir of dirs) {
    const resultsDir = join(dir, 'test-results');
    if (!existsSync(resultsDir)) continue;
    for (const file of readdirSync(resultsDir).filter((f) => f.endsWith('.json'))) {
      const report = JSON.parse(readFileSync(join(resultsDir, file), 'utf8'));
      passed += report.numPassedTests ?? 0;
      failed += report.numFailedTests ?? 0;
      skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
    }
  }
  return { passed, failed, skipped };
}

const reporter = (name) => ['--reporter=default', '--reporter=json', `--outputFile=test-results/${name}.json`];

/** The Redis the tests may use (REDIS_URL, else the local default), if something answers there. */
function reachableRedis() {
  const url = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  const { hostname, port } = new URL(url);
  const probe = `const s=require('net').connect(${Number(port) || 6379},${JSON.stringify(hostname)});s.setTimeout(1500,()=>process.exit(1));s.on('connect',()=>{s.write('PING\\r\\n')});s.on('data',d=>process.exit(String(d).startsWith('+PONG')?0:1));s.on('error',()=>process.exit(1));`;
  return spawnSync(process.execPath, ['-e', probe]).status === 0 ? url : null;
}

function test() {
  installAndBuild();
  for (const d of ['apps', 'packages'])
    for (const name of readdirSync(join(root, d))) rmSync(join(root, d, name, 'test-results'), { recursive: true, force: true });
  rmSync(join(root, 'e2e', 'test-results'), { recursive: true, force: true });
  const failures = [];

  step('Lint and typecheck');
  if (run('pnpm', ['exec', 'eslint', '.']) !== 0) failures.push('lint');
  if (run('pnpm', ['exec', 'prettier', '--check', '--log-level=warn', '.']) !== 0) failures.push('format (run `npm run format`)');
  // --only: everything was just built; rebuilding here would run the web app's build beside its tests,
  // and both write .svelte-kit/ (a client and server build of different versions).
  if (run('pnpm', ['exec', 'turbo', 'run', 'typecheck', '--only', '--output-logs=errors-only']) !== 0) failures.push('typecheck');

  const redis = reachableRedis();
  if (!redis) {
    if (process.env.CI) {
      console.error('\n✖ Redis is required for the BullMQ and Redis bus tests in CI (REDIS_URL or 127.0.0.1:6379)');
      failures.push('redis (not reachable)');
    } else console.log('\nNo Redis answers at REDIS_URL or 127.0.0.1:6379: the BullMQ, Redis bus and Redis fault tests are skipped.');
  }
  const redisEnv = { TEST_REDIS_URL: redis ?? '' };

  step('Unit and API tests (API on PGlite)');
  if (
    run('pnpm', ['exec', 'turbo', 'run', 'test', '--only', '--concurrency=2', '--', ...reporter('vitest')], {
      TEST_DATABASE_URL: '',
      ...redisEnv,
    }) !== 0
  )
    failures.push('unit/api (PGlite)');

  if (process.env.TEST_DATABASE_URL) {
    step(`API tests on PostgreSQL (${process.env.TEST_DATABASE_URL.replace(/\/\/[^@]*@/, '//')})`);
    if (run('pnpm', ['--filter', '@praxis/api', 'exec', 'vitest', 'run', 'test/', ...reporter('vitest-postgres')], redisEnv) !== 0)
      failures.push('api (PostgreSQL)');
    step('Worker pipeline tests on PostgreSQL (incl. a worker process killed mid-job)');
    if (run('pnpm', ['--filter', '@praxis/worker', 'exec', 'vitest', 'run', 'test/', ...reporter('vitest-postgres')], redisEnv) !== 0)
      failures.push('worker (PostgreSQL)');
  } else {
    console.log(
      '\nTEST_DATABASE_URL is not set: the API suite ran on PGlite only. Set it (e.g. postgres://postgres@127.0.0.1:5432/postgres) to run it on PostgreSQL too.',
    );
  }

  const chromium = chromiumPath();
  if (chromium) {
    step(`End-to-end in Chromium (${chromium})`);
    if (run('pnpm', ['--filter', '@praxis/e2e', 'exec', 'vitest', 'run', ...reporter('vitest')], { CHROMIUM_PATH: chromium }) !== 0)
      failures.push('e2e');
  } else if (process.env.CI) {
    console.error('\n✖ Chromium is required for the end-to-end test in CI (apt-get install -y chromium)');
    failures.push('e2e (no Chromium)');
  } else {
    console.log('\nNo Chromium found (set CHROMIUM_PATH or apt-get install chromium): the end-to-end browser test did not run.');
  }

  const { passed, failed, skipped } = collectResults();
  console.log(`\n${failures.length ? `✖ failed: ${failures.join(', ')}` : '✔ all test steps passed'}`);
  console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  process.exit(failures.length ? 1 : 0);
}

function start() {
  installAndBuild();
  step('Starting Praxis (embedded: one Node process, PostgreSQL 18 under .data/postgres)');
  const child = spawn(process.execPath, [join(root, 'apps/api/dist/embedded.js')], { cwd: root, stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 0));
}

function bench() {
  installAndBuild();
  step('Benchmarks');
  process.exit(run('pnpm', ['exec', 'turbo', 'run', 'bench', '--only', '--concurrency=1']));
}

const commands = { start, test, bench, build: installAndBuild };
const command = commands[process.argv[2]];
if (!command) {
  console.error(`usage: node scripts/praxis.mjs ${Object.keys(commands).join('|')}`);
  process.exit(2);
}
command();
