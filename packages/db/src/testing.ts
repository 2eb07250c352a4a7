import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from './client.js';

/**
 * A fresh, migrated database for one test file: a new PostgreSQL database when TEST_DATABASE_URL is set
 * (dropped on close), otherwise an in-memory PGlite.
 */
export async function createTestDatabase(adminUrl = process.env.TEST_DATABASE_URL): Promise<Database> {
  if (!adminUrl) return openDatabase({});
  const name = `praxis_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString(), poolSize: 5 });
  return {
    ...database,
    close: async () => {
      await database.close();
      const dropper = new pg.Client({ connectionString: adminUrl });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}
