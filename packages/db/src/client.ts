import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
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

/**
 * PGlite's defaults plus 16 MB of shared buffers instead of PostgreSQL's 128 MB: inside WASM the buffer pool is process
 * memory that is never given back, and with the demo data this alone took PSS from ≈ 270 to ≈ 160 MB
 * (docs/decisions/2026-12-04-embedded-database.md). Pages beyond it come from the OS file cache.
 */
export const PGLITE_START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

async function openPglite(dataDir: string | undefined): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create({ ...(dataDir && { dataDir }), startParams: PGLITE_START_PARAMS });
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
