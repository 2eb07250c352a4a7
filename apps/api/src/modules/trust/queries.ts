import { loadTrustSettings } from '@praxis/db';
import type { Deps } from '../../context.js';

/** The trust settings as stored (or the defaults), shaped for the reply. */
export async function getTrustSettings(deps: Deps) {
  const loaded = await loadTrustSettings(deps.db);
  return { ...loaded.settings, isDefault: loaded.isDefault, updatedAt: loaded.updatedAt?.toISOString() ?? null };
}
