import { defaultMatchingSettings, type MatchingSettings } from '@praxis/domain';
import { and, desc, eq } from 'drizzle-orm';
import type { Db } from './client.js';
import { communityMatchingSettings, matchingModels } from './schema.js';

/** A community's expert-matching settings; the defaults when its leaders never changed them. */
export async function loadMatchingSettings(db: Db, communityId: number): Promise<{ settings: MatchingSettings; isDefault: boolean }> {
  const [row] = await db.select().from(communityMatchingSettings).where(eq(communityMatchingSettings.communityId, communityId));
  if (!row) return { settings: { ...defaultMatchingSettings }, isDefault: true };
  const { expertsPerRound, rounds, escalateMinutes, newcomerEscalateMinutes, matchQuestions, showExpertNames } = row;
  return {
    settings: { expertsPerRound, rounds, escalateMinutes, newcomerEscalateMinutes, matchQuestions, showExpertNames },
    isDefault: false,
  };
}

/** The latest trained ranking model of a community (for leaders), or the latest one in use (for the matcher). */
export async function loadMatchingModel(
  db: Db,
  communityId: number,
  which: 'latest' | 'in_use',
): Promise<typeof matchingModels.$inferSelect | null> {
  const [row] = await db
    .select()
    .from(matchingModels)
    .where(
      which === 'in_use'
        ? and(eq(matchingModels.communityId, communityId), eq(matchingModels.inUse, true))
        : eq(matchingModels.communityId, communityId),
    )
    .orderBy(desc(matchingModels.version))
    .limit(1);
  return row ?? null;
}
