import { defaultMatchingSettings, type MatchingSettings } from '@praxis/domain';
import { eq } from 'drizzle-orm';
import type { Db } from './client.js';
import { communityMatchingSettings } from './schema.js';

/** A community's expert-matching settings; the defaults when its leaders never changed them. */
export async function loadMatchingSettings(db: Db, communityId: number): Promise<{ settings: MatchingSettings; isDefault: boolean }> {
  const [row] = await db.select().from(communityMatchingSettings).where(eq(communityMatchingSettings.communityId, communityId));
  if (!row) return { settings: { ...defaultMatchingSettings }, isDefault: true };
  const { expertsPerRound, rounds, escalateMinutes, newcomerEscalateMinutes, matchQuestions, showExpertNames } = row;
  return { settings: { expertsPerRound, rounds, escalateMinutes, newcomerEscalateMinutes, matchQuestions, showExpertNames }, isDefault: false };
}
