import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig, type Config } from '@praxis/config';
import { eq, openDatabase, users } from '@praxis/db';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { ensureAdmin } from './seed/admin.js';
import { seedDemoCommunity } from './seed/demo.js';

type NodeHandler = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, next?: () => void) => void;

export interface StartOptions {
  /** Directory of the SvelteKit adapter-node build to serve on the same port (embedded mode). */
  webBuildDir?: string;
  config?: Config;
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
  if (seeded) app.log.info(`Seeded the demo community "beer": ${seeded.threads} threads, ${seeded.posts} posts in ${Date.now() - started} ms`);
}

/** Mounts the web app's request handler for every path the API does not own, so one port serves both. */
async function mountWeb(app: FastifyInstance, webBuildDir: string): Promise<void> {
  const handlerFile = join(webBuildDir, 'handler.js');
  if (!existsSync(handlerFile)) throw new Error(`The web app is not built: ${handlerFile} is missing (run the build first)`);
  const { handler } = (await import(pathToFileURL(handlerFile).href)) as { handler: NodeHandler };
  app.addHook('onRequest', (request, reply, done) => {
    if (request.url.startsWith('/api/') || request.url === '/api') return done();
    reply.hijack();
    handler(request.raw, reply.raw, () => {
      reply.raw.statusCode = 404;
      reply.raw.end('Not found');
    });
  });
}

export async function start(options: StartOptions = {}): Promise<FastifyInstance> {
  const config = options.config ?? loadConfig();
  const database = await openDatabase({ url: config.databaseUrl, dataDir: join(config.dataDir, 'pglite') });
  const app = await buildApp({ config, database, prettyLogs: process.stdout.isTTY === true });
  if (options.webBuildDir) {
    // The web app's server-side code calls this same process over loopback.
    process.env.API_URL ??= `http://127.0.0.1:${config.port}`;
    process.env.PUBLIC_ORIGIN ??= config.publicOrigin;
    await mountWeb(app, options.webBuildDir);
  }
  await seed(app, config);
  await app.listen({ port: config.port, host: config.host });
  app.log.info(`Praxis is up at ${config.publicOrigin} (${database.driver}${config.databaseUrl ? '' : ` in ${config.dataDir}`})`);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info(`${signal}: shutting down`);
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  return app;
}
