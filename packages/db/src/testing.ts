import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from './client.js';

/**
 * A fresh, migrated database for one test file: a new PostgreSQL database when TEST_DATABASE_URL is set
 * (dropped on close), otherwise an in-memory PGlite.
 */
export async function createTestDatabase(adminUrl = process.env.TEST_DATABASE_URL): Promise<Database> {
  if (!adminUrl) return openDatabase({});
  const scratch = await createScratchDatabase(adminUrl);
  const database = await openDatabase({ url: scratch.url, poolSize: 5 });
  return {
    ...database,
    close: async () => {
      await database.close();
      await scratch.drop();
    },
  };
}

/** An empty PostgreSQL database on the server of `adminUrl`, for tests and benchmarks that start their own processes. */
export async function createScratchDatabase(adminUrl: string, prefix = 'praxis_test'): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const run = async (statement: string) => {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query(statement);
    } finally {
      await admin.end();
    }
  };
  await run(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`drop database if exists ${name} with (force)`) };
}
