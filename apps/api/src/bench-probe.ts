import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import type { FastifyInstance } from 'fastify';

type ProbeMessage = { probe?: string; file?: string };

/**
 * For `npm run bench` only: with PRAXIS_BENCH_PROBE=1 in a process forked with an IPC channel, count the API
 * requests this process serves — over HTTP and in-process (`inject` runs the same hooks) — and answer
 * `{ probe: 'api-calls' }` messages with the count (the live fan-out row divides it by the replies sent).
 * `cpu-profile-start` / `cpu-profile-stop` (with `file`) profile one phase of a run, e.g. the writes.
 */
export function attachBenchProbe(app: FastifyInstance): void {
  if (process.env.PRAXIS_BENCH_PROBE !== '1' || !process.send) return;
  let apiCalls = 0;
  app.addHook('onRequest', (request, _reply, done) => {
    if (request.url.startsWith('/api/')) apiCalls += 1;
    done();
  });
  let session: Session | null = null;
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) =>
      session?.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))),
    );
  process.on('message', async (message: ProbeMessage) => {
    if (message?.probe === 'api-calls') process.send?.({ probe: 'api-calls', apiCalls });
    if (message?.probe === 'cpu-profile-start') {
      session = new Session();
      session.connect();
      await post('Profiler.enable');
      await post('Profiler.start');
      process.send?.({ probe: 'cpu-profile-started' });
    }
    if (message?.probe === 'cpu-profile-stop' && session && message.file) {
      const { profile } = (await post('Profiler.stop')) as { profile: unknown };
      writeFileSync(message.file, JSON.stringify(profile));
      session.disconnect();
      session = null;
      process.send?.({ probe: 'cpu-profile-stopped' });
    }
  });
}
