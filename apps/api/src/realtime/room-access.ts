import { AppError } from '@praxis/contracts';
import type { Viewer } from '@praxis/domain';
import { roomTarget, type Room } from '@praxis/realtime';
import type { Deps } from '../context.js';
import { loadThread } from '../modules/threads/queries.js';

/**
 * Whether the viewer may receive a room's messages: their own user room, or a thread they may read.
 * A thread that is missing and one that is hidden from the viewer get the same answer.
 */
export async function mayJoinRoom(deps: Deps, viewer: Viewer | null, room: Room): Promise<boolean> {
  const target = roomTarget(room);
  if (!target) return false;
  if (target.kind === 'user') return viewer !== null && viewer.id === target.id;
  try {
    // loadThread is the same gate GET /threads/:id goes through (can(viewer, 'thread.read', ref)).
    await loadThread(deps, viewer, target.id);
    return true;
  } catch (error) {
    if (error instanceof AppError && error.code === 'NOT_FOUND') return false;
    throw error;
  }
}
