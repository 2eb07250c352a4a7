import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase, type Database } from './client.js';
import { createTestDatabase } from './testing.js';
import { users } from './schema.js';
import { sql } from 'drizzle-orm';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

describe(`the database (${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('is migrated, and migrating again changes nothing', async () => {
    await migrateDatabase(database);
    const result = await database.db.execute(
      sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
    );
    // node-postgres and PGlite both answer with { rows }.
    const { rows } = result as unknown as { rows: { table_name: string }[] };
    expect(rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining([
        'users',
        'sessions',
        'access_tokens',
        'communities',
        'memberships',
        'threads',
        'posts',
        'post_revisions',
        'tags',
        'votes',
        'outbox_events',
        'audit_log',
      ]),
    );
  });

  it('keeps usernames and emails unique regardless of case', async () => {
    await database.db.insert(users).values({ username: 'Alice', email: 'alice@example.test', displayName: 'Alice' });
    await expect(database.db.insert(users).values({ username: 'alice', email: 'other@example.test', displayName: 'a' })).rejects.toThrow();
    await expect(database.db.insert(users).values({ username: 'bob', email: 'ALICE@example.test', displayName: 'b' })).rejects.toThrow();
  });

  it('answers ping', async () => {
    await expect(database.ping()).resolves.toBeUndefined();
  });
});
