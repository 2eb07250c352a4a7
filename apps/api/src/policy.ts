import { AppError } from '@praxis/contracts';
import { can, type Action, type ResourceFor, type Viewer } from '@praxis/domain';

const readActionOf = (action: Action): Action | null => {
  if ((action.startsWith('community.') && action !== 'community.create') || action === 'thread.create') return 'community.read';
  if (action.startsWith('thread.')) return 'thread.read';
  if (action === 'guide.create') return 'community.read';
  if (action.startsWith('guide.')) return 'guide.read';
  if (action.startsWith('post.')) return 'post.read';
  return null;
};

/**
 * The one gate every route goes through. A refused action on something the viewer may not even see
 * answers 404, so private communities stay invisible; otherwise 401 / suspended / 403.
 */
export function ensure<A extends Action>(viewer: Viewer | null, action: A, resource: ResourceFor<A>): asserts viewer is Viewer {
  if (can(viewer, action, resource)) {
    if (viewer === null) throw new AppError('UNAUTHENTICATED');
    return;
  }
  const readAction = readActionOf(action);
  if (readAction && readAction !== action && !can(viewer, readAction, resource as never)) throw new AppError('NOT_FOUND');
  if (readAction === action) throw new AppError('NOT_FOUND');
  if (!viewer) throw new AppError('UNAUTHENTICATED');
  if (viewer.suspended) throw new AppError('SUSPENDED', suspensionMessage(viewer));
  throw new AppError('FORBIDDEN');
}

/** "Your account is suspended until 3 March 2027 (reason). You can still read, but not post, reply, vote or flag." */
export function suspensionMessage(viewer: Viewer): string {
  const s = viewer.suspension;
  if (!s) return 'Suspended accounts can read but not write';
  const until = new Date(s.until).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  return `Your account is suspended until ${until}${s.reason ? ` (${s.reason})` : ''}. You can still read, but not post, reply, vote or flag.`;
}

/** For read actions that anonymous visitors may pass. */
export function ensureReadable<A extends Action>(viewer: Viewer | null, action: A, resource: ResourceFor<A>): void {
  if (!can(viewer, action, resource)) throw new AppError('NOT_FOUND');
}

export function requireViewer(viewer: Viewer | null): Viewer {
  if (!viewer) throw new AppError('UNAUTHENTICATED');
  return viewer;
}
