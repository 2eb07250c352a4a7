import { roomTarget, threadRoom, type AccessScope, type Room } from '@praxis/realtime';
import type { FastifyInstance } from 'fastify';
import { credentialExpiresAt, currentViewer, type LiveCredential } from './credentials.js';
import { mayJoinRoom } from './room-access.js';

/** One open socket.io or /api/v1/stream connection, as the access re-check sees it. */
export interface LiveConnection {
  readonly credential: LiveCredential;
  /** The connection's user, null when anonymous. */
  readonly userId: number | null;
  threadRooms(): Room[];
  /** Leaves a thread's room because the viewer may no longer read it, and tells the client. */
  dropThread(threadId: number): void;
  /** Closes: 'session_ended' tells the client its session or token ended; 'unavailable' when the re-check itself failed. */
  end(reason: 'session_ended' | 'unavailable'): void;
  isOpen(): boolean;
}

/** This node's open live connections, over both transports. */
export class LiveConnections {
  private readonly all = new Set<LiveConnection>();
  private readonly expiryTimers = new Map<LiveConnection, NodeJS.Timeout>();
  /** Access changes heard so far: a join whose check overlapped one checks again (they are rare; the extra check is cheap). */
  accessChanges = 0;

  add(connection: LiveConnection): void {
    this.all.add(connection);
  }

  remove(connection: LiveConnection): void {
    this.all.delete(connection);
    clearTimeout(this.expiryTimers.get(connection));
    this.expiryTimers.delete(connection);
  }

  /** Re-checks the connection when its session or token expires: nothing else would tell it that it ended. */
  async closeAtExpiry(app: FastifyInstance, connection: LiveConnection): Promise<void> {
    const expiresAt = await credentialExpiresAt(app.deps, connection.credential);
    if (!expiresAt || !this.all.has(connection)) return;
    // setTimeout holds at most ~24.8 days; a longer session is looked at again then.
    const delay = Math.min(Math.max(0, expiresAt.getTime() - app.deps.clock.now().getTime()) + 1_000, 2 ** 31 - 1);
    const timer = setTimeout(() => {
      this.expiryTimers.delete(connection);
      void recheckConnection(app, connection)
        .then(() => (connection.isOpen() ? this.closeAtExpiry(app, connection) : undefined))
        .catch((error: unknown) => {
          app.log.error({ err: error }, 'live connection expiry re-check failed; closing it');
          connection.end('unavailable');
        });
    }, delay);
    timer.unref();
    this.expiryTimers.set(connection, timer);
  }

  /** Those an access change concerns: a user's connections, or those in a thread's room. */
  concernedBy(scope: AccessScope): LiveConnection[] {
    const list = [...this.all];
    if ('userId' in scope) return list.filter((c) => c.userId === scope.userId);
    const room = threadRoom(scope.threadId);
    return list.filter((c) => c.threadRooms().includes(room));
  }
}

/**
 * What every join goes through: the credential resolved again (not the handshake's viewer), then the same gate
 * as GET /threads/:id. 'ended' means the session or token is gone and the connection must close.
 */
export async function mayJoinNow(
  app: FastifyInstance,
  connection: Pick<LiveConnection, 'credential'>,
  room: Room,
): Promise<boolean | 'ended'> {
  const viewer = await currentViewer(app.deps, connection.credential);
  if (viewer === 'ended') return 'ended';
  return mayJoinRoom(app.deps, viewer, room);
}

/** Re-checks one connection against current data: closes it when its credential ended, drops the thread rooms it may no longer read. */
export async function recheckConnection(app: FastifyInstance, connection: LiveConnection, onlyThread?: number): Promise<void> {
  if (!connection.isOpen()) return;
  const viewer = await currentViewer(app.deps, connection.credential);
  if (viewer === 'ended') return connection.end('session_ended');
  const rooms = connection.threadRooms().filter((room) => onlyThread === undefined || room === threadRoom(onlyThread));
  for (const room of rooms) {
    const target = roomTarget(room);
    if (target && !(await mayJoinRoom(app.deps, viewer, room))) connection.dropThread(target.id);
  }
}

/** Runs the re-check for every connection of this node that an access change concerns. */
export async function applyAccessChange(app: FastifyInstance, connections: LiveConnections, scope: AccessScope): Promise<void> {
  connections.accessChanges++;
  const onlyThread = 'threadId' in scope ? scope.threadId : undefined;
  await Promise.all(
    connections.concernedBy(scope).map((connection) => {
      return recheckConnection(app, connection, onlyThread).catch((error: unknown) => {
        // Failing open would keep rights the user lost: close the connection, the client reconnects and is checked afresh.
        app.log.error({ err: error, scope }, 'live connection access re-check failed; closing it');
        connection.end('unavailable');
      });
    }),
  );
}

/** A join checks, then joins: an access change re-checked in between could not see the room yet, so check the thread again. */
export async function recheckIfAccessChangedDuring(
  app: FastifyInstance,
  connections: LiveConnections,
  connection: LiveConnection,
  changesBefore: number,
  threadId: number,
): Promise<void> {
  if (connections.accessChanges === changesBefore) return;
  await recheckConnection(app, connection, threadId);
}
