import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { createScratchDatabase, eq, notifications, openDatabase, type Database } from '@praxis/db';
import { createBullMqQueue } from '@praxis/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, fixtures } from './fixtures.js';
import { createHarness, type Harness } from './harness.js';

const adminUrl = process.env.TEST_DATABASE_URL;
const redisUrl = process.env.TEST_REDIS_URL ?? '';

/** An SMTP server that accepts connections and never answers: sending hangs, so email jobs stay active. */
async function silentSmtp() {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `smtp://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

// Two processes must share the database and the queue: PostgreSQL and Redis (CI sets both).
describe.skipIf(!adminUrl || !redisUrl)('a worker killed between taking a job and acknowledging it', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let database: Database;
  let h: Harness;
  let smtp: Awaited<ReturnType<typeof silentSmtp>>;
  const prefix = `praxis-test-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    scratch = await createScratchDatabase(adminUrl!);
    database = await openDatabase({ url: scratch.url });
    smtp = await silentSmtp();
  });
  afterAll(async () => {
    await h?.close();
    await database?.close();
    await smtp?.close();
    await scratch?.drop();
  });

  it('re-delivers its jobs to another worker: every notification emailed exactly once', async () => {
    const f = fixtures(database.db);
    const asker = await f.user('asker');
    const others = [await f.user('o1'), await f.user('o2')];
    const club = await f.community('club', 'public', [asker.id, ...others.map((o) => o.id)]);
    const { thread } = await f.thread(club.id, asker.id, 'Will a killed worker lose this email?', 'Let us see.');

    const child = fork(fileURLToPath(new URL('./worker-child.mjs', import.meta.url)), [], {
      env: { ...process.env, DATABASE_URL: scratch.url, REDIS_URL: redisUrl, QUEUE_PREFIX: prefix, SMTP_URL: smtp.url },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`the worker process exited with ${code}`)));
    });
    for (const other of others) await f.reply(thread.id, club.id, other.id, `A reply from ${other.username}`);
    // The child has written the notifications and is stuck sending their emails (claimed, not acknowledged).
    await eventually(
      async () => {
        const rows = await database.db.select().from(notifications).where(eq(notifications.threadId, thread.id));
        return rows.length === others.length && rows.every((n) => n.emailClaimedAt !== null) ? rows : null;
      },
      20_000,
      'the child to claim both emails',
    );
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    // A new worker with a working mailer takes over the stalled jobs.
    h = await createHarness();
    h.deps.db = database.db;
    const queue = createBullMqQueue({ redisUrl, prefix, lockDurationMs: 1000, stalledIntervalMs: 500, log: () => undefined });
    await h.start(queue);
    // The stalled jobs come back; the killed sender's lease expires and each email is sent once.
    const mails = await eventually(
      async () => {
        const files = readdirSync(h.mailDir).filter((file) => file.endsWith('.eml'));
        return files.length >= others.length ? files : null;
      },
      30_000,
      'both emails sent by the new worker',
    );
    expect(mails).toHaveLength(others.length);
    // A notification is stamped emailed just after its message is handed over, so the stamps can trail the files.
    await eventually(
      async () => {
        const rows = await database.db.select().from(notifications).where(eq(notifications.threadId, thread.id));
        return rows.every((n) => n.emailedAt !== null) || null;
      },
      10_000,
      'both notifications stamped as emailed',
    );
    // Give a duplicate the chance to show up: the outbox drained and no mail arrives beyond one per notification.
    await h.deps.queue.close();
    expect(readdirSync(h.mailDir).filter((file) => file.endsWith('.eml'))).toHaveLength(others.length);
  });
});
