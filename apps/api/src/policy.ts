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

/** The 404 for a community slug: word for word the same whether it does not exist or the viewer may not see it. */
export function communityNotFound(slug: string): AppError {
  return new AppError('NOT_FOUND', `No community "${slug.toLowerCase()}"`);
}

/** The 404 for something the viewer may not see, worded as if it did not exist (communities are found by slug, so the slug is in both). */
function hidden(readAction: Action | null, resource: unknown): AppError {
  const slug = (resource as { slug?: unknown } | null)?.slug;
  if (readAction === 'community.read' && typeof slug === 'string') return communityNotFound(slug);
  return new AppError('NOT_FOUND');
}

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
  if (readAction && readAction !== action && !can(viewer, readAction, resource as never)) throw hidden(readAction, resource);
  if (readAction === action) throw hidden(readAction, resource);
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
  if (!can(viewer, action, resource)) throw hidden(readActionOf(action) ?? action, resource);
}

export function requireViewer(viewer: Viewer | null): Viewer {
  if (!viewer) throw new AppError('UNAUTHENTICATED');
  return viewer;
}
