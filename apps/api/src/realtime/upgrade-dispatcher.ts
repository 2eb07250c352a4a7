import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';

export type UpgradeListener = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

const upgradeListeners = (server: Server) => server.listeners('upgrade') as UpgradeListener[];

/**
 * Runs `register` and returns what it returned with the one 'upgrade' listener it added to the server. Found by
 * difference, not by function name, so it survives library refactors; a library that stops adding exactly one
 * fails loudly here instead of silently breaking upgrades.
 */
export async function upgradeListenerAddedBy<T>(
  server: Server,
  library: string,
  register: () => T,
): Promise<{ result: Awaited<T>; listener: UpgradeListener }> {
  const before = new Set(upgradeListeners(server));
  const result = await register();
  const added = upgradeListeners(server).filter((listener) => !before.has(listener));
  const [listener] = added;
  if (added.length !== 1 || !listener) throw new Error(`Expected ${library} to add one 'upgrade' listener, it added ${added.length}`);
  return { result, listener };
}

export interface UpgradeRoutes {
  /** URL prefix handed to `prefixListener`, e.g. '/socket.io/'. */
  prefix: string;
  prefixListener: UpgradeListener;
  /** Every other upgrade (Fastify's router: /api/v1/stream, or its 404). */
  otherListener: UpgradeListener;
}

/**
 * engine.io and @fastify/websocket both listen to every 'upgrade': left alone, Fastify answers 404 on a
 * /socket.io/ upgrade while engine.io takes over the same socket. This swaps their two listeners for one
 * that gives each upgrade to exactly one of them. Returns the uninstall function.
 */
export function installUpgradeDispatcher(server: Server, routes: UpgradeRoutes): () => void {
  server.removeListener('upgrade', routes.prefixListener);
  server.removeListener('upgrade', routes.otherListener);
  const dispatch: UpgradeListener = (request, socket, head) => {
    const listener = request.url?.startsWith(routes.prefix) ? routes.prefixListener : routes.otherListener;
    listener.call(server, request, socket, head);
  };
  server.on('upgrade', dispatch);
  return () => {
    server.removeListener('upgrade', dispatch);
  };
}
