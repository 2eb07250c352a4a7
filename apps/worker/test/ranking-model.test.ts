import { and, eq, matchingModels, posts, threads } from '@praxis/db';
import {
  expertFeatureNames,
  FEATURE_COUNT,
  rankExperts,
  rankingModelSettings,
  scoreFeatures,
  trainRankingModel,
  type TrainingList,
} from '@praxis/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseModelSetting, listMetrics, retrainAllModels, retrainCommunityModel } from '../src/experts/training.js';
import { loadMatchingInputs } from '../src/handlers/experts/candidates.js';
import { rebuildExpertStats } from '../src/handlers/experts/update-stats.js';
import { loadThreadContext } from '../src/handlers/notifications/write-notifications.js';
import { rebuildSearchIndex } from '../src/handlers/search/reindex-all.js';
import { fixtures } from './fixtures.js';
import { createHarness, type Harness } from './harness.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const BASE = Date.UTC(2026, 8, 1, 18, 0);
/** After the last history question. */
const NOW = new Date(BASE + 45 * DAY);

let h: Harness;
let f: ReturnType<typeof fixtures>;
let community: { id: number };
let small: { id: number };
const people: Record<string, { id: number }> = {};

const modelsOf = (communityId: number) =>
  h.database.db.select().from(matchingModels).where(eq(matchingModels.communityId, communityId)).orderBy(matchingModels.version);

/** A question asked `day` days after BASE, answered an hour later by each of `answerers`. */
async function asked(communityId: number, day: number, title: string, body: string, tags: string[], answerers: string[]): Promise<number> {
  const { thread, post } = await f.thread(communityId, people.asker!.id, title, body, tags);
  const at = new Date(BASE + day * DAY);
  await h.database.db.update(threads).set({ createdAt: at, lastActivityAt: at }).where(eq(threads.id, thread.id));
  await h.database.db.update(posts).set({ createdAt: at }).where(eq(posts.id, post.id));
  for (const [i, name] of answerers.entries()) {
    const reply = await f.reply(
      thread.id,
      communityId,
      people[name]!.id,
      `From experience with ${tags.join(' and ')}: ${body.toLowerCase()}`,
    );
    await h.database.db
      .update(posts)
      .set({ createdAt: new Date(at.getTime() + (i + 1) * HOUR) })
      .where(eq(posts.id, reply.id));
  }
  // Whole milliseconds: the index records indexedAt from a JS Date, so a microsecond now() would look stale forever.
  await h.database.db.update(threads).set({ updatedAt: at }).where(eq(threads.id, thread.id));
  return thread.id;
}

beforeAll(async () => {
  h = await createHarness();
  f = fixtures(h.database.db);
  for (const name of ['asker', 'hops', 'yeast', 'gone', 'other']) people[name] = await f.user(`r_${name}`);
  const ids = Object.values(people).map((p) => p.id);
  community = await f.community('ranked', 'public', ids);
  small = await f.community('tiny', 'public', ids);
  // 40 questions over 40 days: hop questions answered by "hops", yeast questions by "yeast"; "gone" answered
  // everything in the first two weeks only; "other" every third day, whatever the topic.
  for (let day = 0; day < 40; day++) {
    const hop = day % 2 === 0;
    const answerers = [hop ? 'hops' : 'yeast', ...(day < 14 ? ['gone'] : []), ...(day % 3 === 1 ? ['other'] : [])];
    await asked(
      community.id,
      day,
      hop ? `Dry hopping question ${day} with citra hops` : `Yeast starter question ${day} for a lager`,
      hop
        ? 'How long should the citra hops stay in the fermenter when dry hopping an IPA?'
        : 'How big should the yeast starter be for a cold lager fermentation?',
      [hop ? 'hops' : 'yeast'],
      answerers,
    );
  }
  for (let day = 0; day < 5; day++) await asked(small.id, day, `Small question ${day}`, 'Something about hops', ['hops'], ['hops']);
  await rebuildSearchIndex(h.deps);
  // Imported history raises no events: expertise is rebuilt as the worker does at start.
  await rebuildExpertStats(h.database.db);
}, 120_000);
afterAll(() => h.close());

describe('per-community ranking models', () => {
  it('retraining stores the next version with its held-out figures; a community with little history gets none', async () => {
    expect(await retrainCommunityModel(h.deps, community.id, NOW)).toBe('trained');
    expect(await retrainCommunityModel(h.deps, small.id, NOW)).toBe('too_little_history');
    const [first] = await modelsOf(community.id);
    expect(first).toMatchObject({ version: 1, trainedAt: NOW });
    // The setting (loss and L2), chosen on the questions just before the held-out ones, is one the bench compares too.
    expect(rankingModelSettings.map((s) => s.label)).toContain(first!.kind);
    expect(first!.trainingQuestions).toBeGreaterThanOrEqual(30);
    expect(first!.validationQuestions).toBeGreaterThanOrEqual(6);
    for (const v of [first!.validationMrr, first!.validationS3, first!.weightedMrr, first!.mostActiveMrr, first!.mostActiveS3]) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
    // The answerer of each held-out question is the topic's specialist, who is always among the first three.
    expect(first!.validationS3).toBe(1);
    expect(await modelsOf(small.id)).toEqual([]);

    // A model less than a day old is kept; a day later the community is retrained.
    expect(await retrainAllModels(h.deps, new Date(NOW.getTime() + HOUR))).toEqual({ trained: 0, too_little_history: 0, fresh: 1 });
    expect(await retrainAllModels(h.deps, new Date(NOW.getTime() + DAY))).toEqual({ trained: 1, too_little_history: 0, fresh: 0 });
    expect((await modelsOf(community.id)).map((m) => m.version)).toEqual([1, 2]);
  }, 120_000);

  it('the matcher ranks with the latest model in use, with reasons from its strongest contributions', async () => {
    const question = await asked(
      community.id,
      44,
      'Citra dry hopping time in an IPA',
      'How long should citra hops stay in the fermenter when dry hopping?',
      ['hops'],
      [],
    );
    const context = (await loadThreadContext(h.database.db, question))!;

    await h.database.db.update(matchingModels).set({ inUse: false }).where(eq(matchingModels.communityId, community.id));
    const weighted = await loadMatchingInputs(h.deps, context, NOW);
    expect(weighted.model).toBeNull();
    expect(weighted.candidates.every((c) => c.activity === undefined)).toBe(true);

    await h.database.db
      .update(matchingModels)
      .set({ inUse: true })
      .where(and(eq(matchingModels.communityId, community.id), eq(matchingModels.version, 2)));
    const inputs = await loadMatchingInputs(h.deps, context, NOW);
    expect(inputs.model).not.toBeNull();
    const hops = inputs.candidates.find((c) => c.userId === people.hops!.id);
    expect(hops?.activity?.answers).toBe(20);
    expect(hops?.activity?.last7d).toBeGreaterThan(0);
    const ranking = rankExperts(inputs.question, inputs.candidates, {
      now: NOW.getTime(),
      limit: 3,
      totals: inputs.totals,
      model: inputs.model,
    });
    expect(ranking.shortlist[0]?.userId).toBe(people.hops!.id);
    expect(ranking.shortlist[0]?.reasons.length).toBeGreaterThan(0);
    expect(Object.keys(ranking.shortlist[0]?.signals ?? {})).toContain('f_recent7d');
  }, 60_000);
});

describe('choosing the model setting', () => {
  const F = FEATURE_COUNT;
  const columns = (['answers', 'recent30d', 'topical'] as const).map((name) => expertFeatureNames.indexOf(name));
  /** Past questions of eight candidates; the answerer is the best by a weighted sum of three features plus noise (seeded). */
  const questions = (count: number, weights: readonly number[], seed: number): TrainingList[] => {
    let state = seed;
    const rnd = (): number => (state = (state * 16807) % 2147483647) / 2147483647;
    return Array.from({ length: count }, () => {
      const features = new Float64Array(8 * F);
      const scores = Array.from({ length: 8 }, (_, i) =>
        columns.reduce((sum, col, k) => sum + (weights[k] as number) * (features[i * F + col] = rnd() * (3 - k)), rnd() * 1.5),
      );
      const answerer = scores.indexOf(Math.max(...scores));
      return { features, relevant: Uint8Array.from({ length: 8 }, (_, i) => (i === answerer ? 1 : 0)) };
    });
  };
  // The choice block weighs the features differently from the training questions: the settings disagree on it.
  const training = questions(12, [1, 0.3, 0.5], 7);
  const choice = questions(8, [0.2, 1, 0.5], 11);
  const mrrOn = (lists: TrainingList[], setting: (typeof rankingModelSettings)[number]): number => {
    const model = trainRankingModel(training, setting);
    return listMetrics(lists, (l) => scoreFeatures(model, l.features, l.relevant.length)).mrr;
  };

  it('is the first setting when there is nothing to train on or nothing to choose on', () => {
    expect(chooseModelSetting([], choice)).toBe(rankingModelSettings[0]);
    expect(chooseModelSetting(training, [])).toBe(rankingModelSettings[0]);
  });

  it('is the setting whose model, trained on the earlier questions, ranks the answerers of the choice block best', () => {
    const mrrs = rankingModelSettings.map((setting) => mrrOn(choice, setting));
    expect(new Set(mrrs).size).toBeGreaterThan(1);
    expect(mrrOn(choice, chooseModelSetting(training, choice))).toBe(Math.max(...mrrs));
  });
});
