import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { chooseEmbeddedDatabase, openEmbeddedDatabase } from './client.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { users } from './schema.js';

// The real PostgreSQL 18 binaries of `npm start`, in a temporary DATA_DIR: initdb, migrations, stop, restart after a kill.
const dataRoot = mkdtempSync(join(tmpdir(), 'praxis-embedded-pg-'));
const dataDir = join(dataRoot, 'postgres');
afterAll(() => rmSync(dataRoot, { recursive: true, force: true }));

async function query(url: string, text: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const postmasterPid = () => Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);

describe('embedded PostgreSQL', () => {
  it('creates a cluster under DATA_DIR/postgres, runs the migrations and stops with the process', async () => {
    const database = await openEmbeddedDatabase({ dataDir: dataRoot, kind: 'postgres', log: () => undefined });
    expect(database.driver).toBe('postgres');
    expect(database.description).toContain(dataDir);
    await database.db.insert(users).values({ username: 'kept', email: 'kept@example.test', displayName: 'Kept' });
    const pid = postmasterPid();
    expect(alive(pid)).toBe(true);
    await database.close();
    expect(alive(pid)).toBe(false);
    expect(existsSync(join(dataDir, 'postmaster.pid'))).toBe(false);
  });

  it('takes over a server orphaned by a killed owner process, keeping the data', async () => {
    const orphan = await startEmbeddedPostgres({ dataDir, log: () => undefined });
    expect(orphan.created).toBe(false);
    // The owner died with kill -9: its server kept running and its pid is gone.
    writeFileSync(join(dataDir, 'praxis-owner.pid'), String(spawnSync(process.execPath, ['-e', '']).pid));
    const server = await startEmbeddedPostgres({ dataDir, log: () => undefined });
    try {
      expect(server.pid).not.toBe(orphan.pid);
      expect(alive(orphan.pid)).toBe(false);
      expect(await query(server.url, `select username from users where username = 'kept'`)).toEqual([{ username: 'kept' }]);
    } finally {
      await server.stop();
    }
  });

  it('starts again after the server itself was killed with -9 (a stale postmaster.pid)', async () => {
    const killed = await startEmbeddedPostgres({ dataDir, log: () => undefined });
    // A connection open at the time, as the app's pool would have.
    const client = new pg.Client({ connectionString: killed.url });
    client.on('error', () => undefined);
    await client.connect();
    process.kill(killed.pid, 'SIGKILL');
    while (alive(killed.pid)) await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(join(dataDir, 'postmaster.pid'))).toBe(true);
    await client.end().catch(() => undefined);
    const server = await startEmbeddedPostgres({ dataDir, log: () => undefined });
    try {
      expect(await query(server.url, `select count(*)::int as n from users where username = 'kept'`)).toEqual([{ n: 1 }]);
    } finally {
      await server.stop();
    }
  });

  it('refuses a data directory whose server belongs to another live process', async () => {
    const server = await startEmbeddedPostgres({ dataDir, log: () => undefined });
    const owner = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      writeFileSync(join(dataDir, 'praxis-owner.pid'), String(owner.pid));
      await expect(startEmbeddedPostgres({ dataDir, log: () => undefined })).rejects.toThrow(/in use by another process/);
      expect(alive(server.pid)).toBe(true);
    } finally {
      owner.kill();
      await server.stop();
    }
  });
});

describe('choosing the embedded database', () => {
  it('is PostgreSQL on a new data directory, PGlite when asked, and PGlite (with a note) for an installation that has only pglite/', () => {
    const root = mkdtempSync(join(tmpdir(), 'praxis-embedded-choice-'));
    try {
      expect(chooseEmbeddedDatabase(root)).toEqual({ kind: 'postgres' });
      expect(chooseEmbeddedDatabase(root, 'pglite')).toEqual({ kind: 'pglite' });
      expect(() => chooseEmbeddedDatabase(root, 'sqlite')).toThrow(/EMBEDDED_DATABASE/);
      mkdirSync(join(root, 'pglite'));
      const kept = chooseEmbeddedDatabase(root);
      expect(kept.kind).toBe('pglite');
      expect(kept.note).toContain('EMBEDDED_DATABASE=pglite');
      expect(chooseEmbeddedDatabase(root, 'postgres')).toEqual({ kind: 'postgres' });
      mkdirSync(join(root, 'postgres'));
      expect(chooseEmbeddedDatabase(root)).toEqual({ kind: 'postgres' });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
