import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig, type Config } from '@praxis/config';
import { eq, openEmbeddedDatabase, users, type Database } from '@praxis/db';
import { createInProcessQueue, type JobQueue } from '@praxis/queue';
import { createEventBus, type EventBus } from '@praxis/realtime';
import { createSearchIndex, type SearchIndex } from '@praxis/search';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { SESSION_COOKIE } from './modules/auth/tokens.js';
import { captureResponse, isCacheableRequest, isShareablePage } from './web/page-cache.js';
import { attachBenchProbe } from './bench-probe.js';
import { IN_PROCESS_FETCH, inProcessFetch } from './in-process-fetch.js';
import { ensureAdmin } from './seed/admin.js';
import { seedDemoCommunity } from './seed/demo.js';

type NodeHandler = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, next?: () => void) => void;

export interface StartOptions {
  /** Directory of the SvelteKit adapter-node build to serve on the same port (embedded mode). */
  webBuildDir?: string;
  /** The built worker (apps/worker/dist/index.js) to run in this process; embedded mode only. */
  workerEntry?: string;
  config?: Config;
}

/** What this process needs from the worker build; loaded by path because apps never import each other. */
interface WorkerModule {
  startWorker(
    deps: {
      db: Database['db'];
      queue: JobQueue;
      search: SearchIndex;
      guideSearch?: SearchIndex;
      bus: EventBus;
      mailer: unknown;
      clock: { now(): Date };
      log: unknown;
      onOutboxCommit?: (wake: () => void) => Promise<() => Promise<void>>;
      settings: { publicOrigin: string; emailAwayMs: number; emailLeaseMs: number };
    },
    options?: Record<string, unknown>,
  ): Promise<{ stop(): Promise<void> }>;
  createMailer(options: { smtpUrl: string | undefined; dataDir: string; from: string }): unknown;
  consoleLogger: unknown;
}

async function startInProcessWorker(
  workerEntry: string,
  config: Config,
  database: Database,
  search: SearchIndex,
  guideSearch: SearchIndex,
  bus: EventBus,
) {
  if (!existsSync(workerEntry)) throw new Error(`The worker is not built: ${workerEntry} is missing (run the build first)`);
  const worker = (await import(pathToFileURL(workerEntry).href)) as WorkerModule;
  return worker.startWorker(
    {
      db: database.db,
      queue: createInProcessQueue(),
      search,
      guideSearch,
      bus,
      mailer: worker.createMailer({ smtpUrl: config.smtpUrl, dataDir: config.dataDir, from: config.mailFrom }),
      clock: { now: () => new Date() },
      log: worker.consoleLogger,
      onOutboxCommit: (wake) => database.listen('praxis_outbox', wake),
      settings: { publicOrigin: config.publicOrigin, emailAwayMs: config.emailAwayMinutes * 60_000, emailLeaseMs: 120_000 },
    },
    { escalateEveryMs: config.escalationSweepSeconds * 1000 },
  );
}

async function seed(app: FastifyInstance, config: Config): Promise<void> {
  const message = await ensureAdmin(app.deps, config);
  if (message) {
    // Printed plainly (not only logged) so it stands out once in the terminal of the first start.
    const rule = '─'.repeat(72);
    process.stdout.write(`\n${rule}\n${message}\n${rule}\n\n`);
  }
  if (!config.seedDemo) return;
  const [admin] = await app.deps.db.select({ id: users.id }).from(users).where(eq(users.role, 'admin')).limit(1);
  if (!admin) return;
  const started = Date.now();
  const seeded = await seedDemoCommunity(app.deps, admin.id);
  if (seeded)
    app.log.info(`Seeded the demo community "beer": ${seeded.threads} threads, ${seeded.posts} posts in ${Date.now() - started} ms`);
}

/** Mounts the web app's request handler for every path the API does not own, so one port serves both. */
async function mountWeb(app: FastifyInstance, webBuildDir: string): Promise<void> {
  const handlerFile = join(webBuildDir, 'handler.js');
  if (!existsSync(handlerFile)) throw new Error(`The web app is not built: ${handlerFile} is missing (run the build first)`);
  const { handler } = (await import(pathToFileURL(handlerFile).href)) as { handler: NodeHandler };
  const cache = app.pageCache;
  app.addHook('onRequest', (request, reply, done) => {
    if (request.url.startsWith('/api/') || request.url === '/api') return done();
    reply.hijack();
    if (isCacheableRequest(request.raw, SESSION_COOKIE)) {
      const key = request.url;
      const hit = cache.get(key, Date.now());
      if (hit) {
        reply.raw.writeHead(hit.status, { ...hit.headers, 'x-praxis-page-cache': 'hit' });
        reply.raw.end(hit.body);
        return;
      }
      const startedAt = cache.begin();
      captureResponse(reply.raw, (page) => {
        if (isShareablePage(page)) cache.set(key, page, startedAt, Date.now());
      });
    }
    handler(request.raw, reply.raw, () => {
      reply.raw.statusCode = 404;
      reply.raw.end('Not found');
    });
  });
}

export async function start(options: StartOptions = {}): Promise<FastifyInstance> {
  const config = options.config ?? loadConfig();
  // DATABASE_URL wins; otherwise the embedded PostgreSQL under DATA_DIR/postgres (EMBEDDED_DATABASE=pglite: PGlite).
  const database = await openEmbeddedDatabase({
    url: config.databaseUrl,
    dataDir: config.dataDir,
    kind: process.env.EMBEDDED_DATABASE || undefined,
    port: process.env.EMBEDDED_PG_PORT ? Number(process.env.EMBEDDED_PG_PORT) : undefined,
    log: (message) => console.warn(message),
  });
  const search = createSearchIndex({
    meiliUrl: config.meiliUrl,
    meiliMasterKey: config.meiliMasterKey,
    snapshotPath: join(config.dataDir, 'search', 'threads.json'),
  });
  await search.ensureReady();
  const guideSearch = createSearchIndex({
    meiliUrl: config.meiliUrl,
    meiliMasterKey: config.meiliMasterKey,
    snapshotPath: join(config.dataDir, 'search', 'guides.json'),
    indexName: 'guides',
  });
  await guideSearch.ensureReady();
  const bus = createEventBus({ redisUrl: config.redisUrl });
  const app = await buildApp({ config, database, search, guideSearch, bus, prettyLogs: process.stdout.isTTY === true });
  attachBenchProbe(app);
  if (options.webBuildDir) {
    // The web app's server-side code calls this same process in-process (app.inject), no loopback HTTP; API_URL only names it.
    process.env.API_URL ??= `http://127.0.0.1:${config.port}`;
    process.env.PUBLIC_ORIGIN ??= config.publicOrigin;
    (globalThis as Record<symbol, unknown>)[IN_PROCESS_FETCH] = inProcessFetch(app);
    await mountWeb(app, options.webBuildDir);
  }
  await seed(app, config);
  // Without Redis nothing else can consume this process's jobs: the worker runs here (the embedded mode).
  const worker =
    config.redisUrl || !options.workerEntry
      ? null
      : await startInProcessWorker(options.workerEntry, config, database, search, guideSearch, bus);
  if (config.redisUrl && !config.meiliUrl)
    app.log.warn(
      'REDIS_URL is set but MEILI_URL is not: API nodes read their own embedded index, which the worker process cannot fill. Set MEILI_URL in the distributed mode.',
    );
  await app.listen({ port: config.port, host: config.host });
  app.log.info(`Praxis is up at ${config.publicOrigin} (${database.description ?? database.driver})`);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info(`${signal}: shutting down`);
    await app.close();
    if (worker) await worker.stop();
    else await Promise.all([search.close(), guideSearch.close()]);
    await bus.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  return app;
}
