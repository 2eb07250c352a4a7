import type { FastifyInstance } from 'fastify';

/**
 * For `npm run bench` only: with PRAXIS_BENCH_PROBE=1 in a process forked with an IPC channel, count the API
 * requests this process serves — over HTTP and in-process (`inject` runs the same hooks) — and answer
 * `{ probe: 'api-calls' }` messages with the count. The live fan-out row divides it by the replies sent.
 */
export function attachBenchProbe(app: FastifyInstance): void {
  if (process.env.PRAXIS_BENCH_PROBE !== '1' || !process.send) return;
  let apiCalls = 0;
  app.addHook('onRequest', (request, _reply, done) => {
    if (request.url.startsWith('/api/')) apiCalls += 1;
    done();
  });
  process.on('message', (message: { probe?: string }) => {
    if (message?.probe === 'api-calls') process.send?.({ probe: 'api-calls', apiCalls });
  });
}
