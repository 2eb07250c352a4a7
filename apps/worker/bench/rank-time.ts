/** Time to rank 10,000 synthetic candidates with rankExperts (p50/p99 over repeated runs). */
import {
  expertFeatureNames,
  rankExperts,
  type RankingModel,
  type AnswerCounts,
  type EvidenceAnswer,
  type ExpertCandidate,
  type ExpertQuestion,
} from '@praxis/domain';

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'Australia/Sydney', 'America/Los_Angeles', 'Not/AZone'];
const TAGS = ['hops', 'yeast', 'lager', 'ipa', 'stout', 'brewing', 'history', 'storage'];

export function syntheticCandidates(count: number, now: number, seed = 7): ExpertCandidate[] {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  return Array.from({ length: count }, (_, i): ExpertCandidate => {
    const answers = Math.floor(Math.pow(rnd(), 4) * 300);
    const tagCounts = new Map<string, AnswerCounts>();
    for (const tag of TAGS) if (rnd() < 0.3) tagCounts.set(tag, { answers: Math.floor(rnd() * answers), accepted: Math.floor(rnd() * 5) });
    const evidence: EvidenceAnswer[] =
      rnd() < 0.1
        ? Array.from({ length: 1 + Math.floor(rnd() * 8) }, (_, j) => ({
            threadId: 1000 + j,
            threadTitle: `A similar question ${j}`,
            similarity: rnd() * 20,
            accepted: rnd() < 0.3,
            score: Math.floor(rnd() * 10) - 1,
            answeredAt: now - rnd() * 3e10,
          }))
        : [];
    const matched = rnd() < 0.3 ? Math.floor(rnd() * 20) : 0;
    const quiet = rnd() < 0.3 ? { start: Math.floor(rnd() * 24), end: Math.floor(rnd() * 24) } : null;
    return {
      userId: i + 1,
      canRead: rnd() > 0.01,
      suspended: rnd() < 0.005,
      declinedThisQuestion: false,
      alreadyMatched: false,
      evidence,
      tagCounts,
      community: { answers, accepted: Math.floor(answers / 5) },
      history: {
        matched,
        answered: Math.floor(matched * rnd()),
        accepted: 0,
        medianResponseMs: matched > 0 ? rnd() * 1e7 : null,
        recentMatches: Math.floor(rnd() * 3),
        matchesThisWeek: Math.floor(rnd() * 3),
      },
      availability: {
        optedIn: rnd() > 0.05,
        weeklyCap: rnd() < 0.5 ? 10 : null,
        quietHours: quiet,
        timeZone: pick(ZONES),
        mutedTags: rnd() < 0.05 ? ['stout'] : [],
        wantedTags: rnd() < 0.05 ? ['hops'] : [],
      },
      notMyAreaSimilarity: rnd() < 0.02 ? rnd() * 5 : 0,
      lastAnswerAt: now - rnd() * 3e10,
      activity: {
        answers,
        accepted: Math.floor(answers / 5),
        scoreSum: Math.floor(answers * rnd() * 3),
        last1d: rnd() < 0.05 ? 1 : 0,
        last7d: Math.floor(rnd() * 3),
        last30d: Math.floor(rnd() * 8),
        last90d: Math.floor(rnd() * 20),
        lastAnswerAt: now - rnd() * 3e10,
        hourCounts: Array.from({ length: 24 }, () => Math.floor(rnd() * 5)),
        weekdayCounts: Array.from({ length: 7 }, () => Math.floor(rnd() * 10)),
        medianDelayMs: rnd() * 1e8,
        tagLastAnswerAt: new Map([...tagCounts.keys()].map((t) => [t, now - rnd() * 3e10])),
      },
      profileSimilarity: rnd() < 0.2 ? rnd() * 10 : 0,
      coAnswer: rnd() < 0.2 ? rnd() * 10 : 0,
    };
  });
}

const percentiles = (times: number[]) => {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] as number;
  return { p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] as number };
};

export interface RankTime {
  count: number;
  runs: number;
  p50: number;
  p99: number;
  max: number;
  /** rankExperts with a learned model (synthetic weights) over the same candidates. */
  learned: { p50: number; p99: number };
  /**
   * Process CPU time per call (user + system, from process.cpuUsage), for the weighted score and the model: on a
   * machine shared with other jobs, wall time mostly measures waiting for a core.
   */
  cpu: { weighted: { p50: number; p99: number }; learned: { p50: number; p99: number } };
  /** The baseline in the same run: the most-active ranking (sort by answer count, top 3) of the same candidates. */
  baseline: { p50: number; p99: number };
}

export function measureRankTime(count = 10_000, runs = 50): RankTime {
  const now = Date.UTC(2026, 11, 2, 21, 30);
  const candidates = syntheticCandidates(count, now);
  const totals = { answers: candidates.reduce((s, c) => s + c.community.answers, 0), tagAnswers: new Map(TAGS.map((t) => [t, 5000])) };
  const question: ExpertQuestion = {
    threadId: 1,
    communityId: 1,
    authorId: 42,
    title: 'Why does my IPA taste grassy?',
    tags: ['hops', 'ipa'],
    createdAt: now,
  };
  const times: number[] = [];
  const learned: number[] = [];
  const cpuWeighted: number[] = [];
  const cpuLearned: number[] = [];
  const cpuMs = (since: NodeJS.CpuUsage): number => {
    const d = process.cpuUsage(since);
    return (d.user + d.system) / 1000;
  };
  const baseline: number[] = [];
  const model: RankingModel = {
    kind: 'linear-pairwise',
    features: [...expertFeatureNames],
    mean: expertFeatureNames.map(() => 0.5),
    scale: expertFeatureNames.map(() => 1),
    weights: expertFeatureNames.map((_, j) => ((j * 7) % 5) / 4 - 0.3),
  };
  for (let r = 0; r < runs + 5; r++) {
    let cpu = process.cpuUsage();
    let start = performance.now();
    rankExperts(question, candidates, { now: now + r * 60_000, limit: 3, totals });
    if (r >= 5) times.push(performance.now() - start);
    if (r >= 5) cpuWeighted.push(cpuMs(cpu));
    cpu = process.cpuUsage();
    start = performance.now();
    rankExperts(question, candidates, { now: now + r * 60_000, limit: 3, totals, model });
    if (r >= 5) learned.push(performance.now() - start);
    if (r >= 5) cpuLearned.push(cpuMs(cpu));
    start = performance.now();
    [...candidates].sort((a, b) => b.community.answers - a.community.answers || a.userId - b.userId).slice(0, 3);
    if (r >= 5) baseline.push(performance.now() - start);
  }
  const base = percentiles(baseline);
  const withModel = percentiles(learned);
  const pick = (xs: number[]) => {
    const p = percentiles(xs);
    return { p50: p.p50, p99: p.p99 };
  };
  return {
    count,
    runs,
    ...percentiles(times),
    learned: { p50: withModel.p50, p99: withModel.p99 },
    cpu: { weighted: pick(cpuWeighted), learned: pick(cpuLearned) },
    baseline: { p50: base.p50, p99: base.p99 },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const t = measureRankTime();
  console.log(
    `rankExperts, ${t.count} synthetic candidates, ${t.runs} runs: p50 ${t.p50.toFixed(2)} ms, p99 ${t.p99.toFixed(2)} ms, max ${t.max.toFixed(2)} ms`,
  );
  console.log(`with a learned model: p50 ${t.learned.p50.toFixed(2)} ms, p99 ${t.learned.p99.toFixed(2)} ms`);
  console.log(
    `CPU time per call: weighted p50 ${t.cpu.weighted.p50.toFixed(2)} ms, p99 ${t.cpu.weighted.p99.toFixed(2)} ms; learned model p50 ${t.cpu.learned.p50.toFixed(2)} ms, p99 ${t.cpu.learned.p99.toFixed(2)} ms`,
  );
  console.log(
    `baseline (most-active: sort by answer count) p50 ${t.baseline.p50.toFixed(2)} ms, p99 ${t.baseline.p99.toFixed(2)} ms; ratio p50 ${(t.p50 / t.baseline.p50).toFixed(1)}×`,
  );
}
