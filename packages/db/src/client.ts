import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import * as schema from './schema.js';

export type Schema = typeof schema;
/** One type for both drivers: commands and queries never know which one runs underneath. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  db: Db;
  driver: 'pglite' | 'postgres';
  /** What runs underneath, for the start-up log line (e.g. "embedded PostgreSQL 18 in .data/postgres"). */
  description?: string;
  ping(): Promise<void>;
  /** LISTEN on a channel; returns a function that stops listening. */
  listen(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export const migrationsFolder = fileURLToPath(new URL('../migrations', import.meta.url));

export interface DatabaseOptions {
  /** PostgreSQL connection string; when absent PGlite runs in-process. */
  url?: string | undefined;
  /** PGlite data directory; when absent (and no url) the database lives in memory. */
  dataDir?: string | undefined;
  poolSize?: number;
  migrate?: boolean;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const database = options.url ? openPostgres(options.url, options.poolSize ?? 10) : await openPglite(options.dataDir);
  if (options.migrate !== false) await migrateDatabase(database);
  return database;
}

async function openPglite(dataDir: string | undefined): Promise<Database> {
  // Loaded on use: a process on PostgreSQL never carries PGlite's modules.
  const [{ PGlite }, { drizzle: drizzlePglite }] = await Promise.all([import('@electric-sql/pglite'), import('drizzle-orm/pglite')]);
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  /**
   * PGlite's defaults plus 16 MB of shared buffers instead of PostgreSQL's 128 MB: inside WASM the buffer pool is process
   * memory that is never given back, and with the demo data this alone took PSS from ≈ 270 to ≈ 160 MB
   * (docs/decisions/2026-12-04-embedded-database.md). Pages beyond it come from the OS file cache.
   */
  const startParams = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];
  const client = await PGlite.create({ ...(dataDir && { dataDir }), startParams });
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    driver: 'pglite',
    ping: async () => {
      await client.query('select 1');
    },
    listen: (channel, onNotify) => client.listen(channel, () => onNotify()),
    close: () => client.close(),
  };
}

export type EmbeddedDatabaseKind = 'postgres' | 'pglite';

export interface EmbeddedDatabaseOptions {
  /** PostgreSQL connection string (DATABASE_URL): when set it wins and nothing embedded starts. */
  url?: string | undefined;
  /** DATA_DIR: the embedded PostgreSQL cluster lives in `<dataDir>/postgres`, PGlite in `<dataDir>/pglite`. */
  dataDir: string;
  /** EMBEDDED_DATABASE: `postgres` (the default) or `pglite`. */
  kind?: string | undefined;
  /** EMBEDDED_PG_PORT: a fixed port for the embedded PostgreSQL; a free one otherwise. */
  port?: number | undefined;
  /** Notes for the operator (which database, how to migrate) and the server's warnings. */
  log?: (message: string) => void;
  migrate?: boolean;
}

/**
 * Which embedded database a data directory gets: the one asked for, else embedded PostgreSQL — except that an
 * installation that has only `<dataDir>/pglite` keeps using PGlite (its data is not abandoned), with a note.
 */
export function chooseEmbeddedDatabase(dataDir: string, requested?: string): { kind: EmbeddedDatabaseKind; note?: string } {
  if (requested === 'postgres' || requested === 'pglite') return { kind: requested };
  if (requested) throw new Error(`EMBEDDED_DATABASE must be "postgres" or "pglite", not "${requested}"`);
  const pglite = join(dataDir, 'pglite');
  if (existsSync(pglite) && !existsSync(join(dataDir, 'postgres')))
    return {
      kind: 'pglite',
      note:
        `${pglite} holds this installation's data (PGlite), so Praxis keeps using it. The embedded default is now PostgreSQL 18 ` +
        `(${join(dataDir, 'postgres')}); to switch, move ${pglite} aside and start again (a fresh database, the demo data seeded again), ` +
        'or set EMBEDDED_DATABASE=pglite to keep PGlite and silence this note.',
    };
  return { kind: 'postgres' };
}

/** The database of `npm start`: DATABASE_URL if set, else the embedded one chosen by chooseEmbeddedDatabase(). */
export async function openEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<Database> {
  if (options.url)
    return { ...(await openDatabase({ url: options.url, migrate: options.migrate })), description: 'PostgreSQL (DATABASE_URL)' };
  const log = options.log ?? ((message: string) => console.warn(message));
  const { kind, note } = chooseEmbeddedDatabase(options.dataDir, options.kind);
  if (note) log(note);
  if (kind === 'pglite') {
    const dir = join(options.dataDir, 'pglite');
    return { ...(await openDatabase({ dataDir: dir, migrate: options.migrate })), description: `embedded PGlite in ${dir}` };
  }
  const { startEmbeddedPostgres } = await import('./embedded-postgres.js');
  const dir = join(options.dataDir, 'postgres');
  const server = await startEmbeddedPostgres({ dataDir: dir, port: options.port, log: (line) => log(`[postgres] ${line}`) });
  try {
    // A small pool: one Node process on two-ish cores; each connection is a server process holding memory.
    const database = openPostgres(server.url, 5);
    if (options.migrate !== false) await migrateDatabase(database);
    return {
      ...database,
      description: `embedded PostgreSQL 18 in ${dir}, port ${server.port}`,
      close: async () => {
        await database.close();
        await server.stop();
      },
    };
  } catch (err) {
    await server.stop();
    throw err;
  }
}

function openPostgres(url: string, max: number): Database {
  const pool = new pg.Pool({ connectionString: url, max });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  return {
    db,
    driver: 'postgres',
    ping: async () => {
      await pool.query('select 1');
    },
    listen: async (channel, onNotify) => {
      // A dedicated connection: LISTEN belongs to a session, and pooled clients are shared.
      const listener = new pg.Client({ connectionString: url });
      listener.on('error', () => undefined);
      listener.on('notification', () => onNotify());
      await listener.connect();
      await listener.query(`listen ${pg.escapeIdentifier(channel)}`);
      return () => listener.end();
    },
    close: () => pool.end(),
  };
}

export async function migrateDatabase(database: Database): Promise<void> {
  if (database.driver === 'pglite') {
    const { migrate: migratePglite } = await import('drizzle-orm/pglite/migrator');
    await migratePglite(database.db as never, { migrationsFolder });
  } else {
    // Serialize concurrent starts of several API nodes against one database.
    await database.db.execute(sql`select pg_advisory_lock(727274)`);
    try {
      await migratePg(database.db as never, { migrationsFolder });
    } finally {
      await database.db.execute(sql`select pg_advisory_unlock(727274)`);
    }
  }
}

/** Demo data shipped with the package (see seed/beer/ATTRIBUTION.md). */
export const seedDataDir = fileURLToPath(new URL('../seed', import.meta.url));
