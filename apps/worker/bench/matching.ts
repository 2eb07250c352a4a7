/**
 * Offline benchmark of expert matching on Stack Exchange dumps:
 *   pnpm bench:matching -- <siteDir> [<siteDir> ...]
 *
 * Protocol (/work/shared/tools/expert-eval.mjs, whose baselines are recomputed here and agree with it):
 * cutoff = the first question of the last 20 % by time; history = earlier questions and their answers
 * before it; candidates = everyone with a history answer; test = later questions answered by a candidate
 * other than the asker; relevant = those answerers. The product ranker (gatherEvidence over the embedded
 * SearchIndex + rankExperts) replays the test questions in time order, notifying its top k = 3 each time.
 *
 * Parameters are never fitted on the test questions. Validation is rolling-origin on the history alone:
 * the last three blocks of 10 % of the history questions, each replayed with the index and counts of the
 * history before it (relevance: answers posted before the test cutoff); a small grid is searched on the
 * mean over blocks and sites, and the test figures are reported with the chosen values.
 */
import { isAbsolute, basename, resolve } from 'node:path';
import { defaultRankingWeights, defaultShareWindow, type RankingWeights } from '@praxis/domain';
import { defaultEvidenceOptions, type EvidenceOptions } from '../src/experts/evidence.js';
import { baselineLabels, evaluateBaselines, type BaselineName } from './baselines.js';
import { cutoffOf, loadSite, siteBefore, splitAt, type Site, type Split } from './data.js';
import type { Metrics } from './metrics.js';
import { measureRankTime } from './rank-time.js';
import { buildIndex, days, evidencePortOf, prepare, replay, type Prepared, type ReplayOptions } from './replay.js';

const started = performance.now();
const args = process.argv.slice(2).filter((a) => a !== '--');
if (args.length === 0) {
  console.error('usage: pnpm bench:matching -- <siteDir> [<siteDir> ...]');
  process.exit(2);
}
const callerCwd = process.env.INIT_CWD ?? process.cwd();
const dirs = args.map((a) => (isAbsolute(a) ? a : resolve(callerCwd, a)));

/** The load window of the worker's match handler: matches in the last week count against an expert. */
const LOAD_WINDOW_MS = days(7);
const LOAD_SWEEP = [0, 0.05, 0.1, 0.2, 0.4, 0.8];
const SHARE_WINDOWS = [10, 20, 40];
const SHARE_TARGETS = [0.1, 0.15, 0.2, 0.25, 0.3];
const SHARE_SWEEP = [0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 1];
const SHARE_LINEAR = [0.5, 1, 2, 4];
/** The soft cap of the cap settings: below everyone under the target. */
const SHARE_CAP = 10;
const LOAD_S3_BUDGET = 0.03;
const MAX_SHARE_TARGET = 0.25;
/** Validation blocks: the last three tenths of the history questions. */
const FOLDS = [0.7, 0.8, 0.9];

const f3 = (v: number): string => v.toFixed(3);
const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));

interface Fold {
  label: string;
  split: Split;
  port: ReturnType<typeof evidencePortOf>;
  prepared: Map<string, Prepared>;
  mostActive: Metrics;
}

interface SiteRun {
  name: string;
  test: Fold;
  baselinesTest: Record<BaselineName, Metrics>;
  folds: Fold[];
}

const EVIDENCE_VARIANTS: Record<string, Partial<EvidenceOptions>> = {
  'plain, question': { mode: 'plain', threads: 50, fields: 'question' },
  'content×5, question': { mode: 'content', queries: 5, threads: 100, fields: 'question' },
  'plain, all': { mode: 'plain', threads: 50, fields: 'all' },
  'content×1, all': { mode: 'content', queries: 1, threads: 100, fields: 'all' },
  'content×5, all': { mode: 'content', queries: 5, threads: 100, fields: 'all' },
};

async function foldOf(label: string, split: Split): Promise<Fold> {
  const built = await buildIndex(split);
  return { label, split, port: evidencePortOf(built.index, built.answersByThread), prepared: new Map(), mostActive: evaluateBaselines(split).mostActive };
}

async function setUp(dir: string): Promise<SiteRun> {
  const name = basename(resolve(dir));
  const site = loadSite(dir, name);
  const cutoff = cutoffOf(site);
  const test = splitAt(site, cutoff);
  // Validation: rolling origins inside the history; each block replays its questions only, with the
  // history before it, and counts answers up to the test cutoff.
  const history = siteBefore(site, cutoff);
  const folds: Fold[] = [];
  for (let i = 0; i < FOLDS.length; i++) {
    const from = history.questions[Math.floor(history.questions.length * (FOLDS[i] as number))]?.created_at as string;
    const next = FOLDS[i + 1];
    const to = next === undefined ? cutoff : (history.questions[Math.floor(history.questions.length * next)]?.created_at as string);
    const block: Site = { name, questions: history.questions.filter((q) => q.created_at < to), answers: history.answers };
    folds.push(await foldOf(`${name}@${Math.round((FOLDS[i] as number) * 100)}%`, splitAt(block, from)));
  }
  return { name, test: await foldOf(`${name} test`, test), baselinesTest: evaluateBaselines(test), folds };
}

async function prepared(fold: Fold, variant: string): Promise<Prepared> {
  let p = fold.prepared.get(variant);
  if (p === undefined) {
    p = await prepare(fold.split, fold.port, EVIDENCE_VARIANTS[variant] ?? {});
    fold.prepared.set(variant, p);
  }
  return p;
}

const replayOptions = (weights: Partial<RankingWeights>, shareWindow = 0): ReplayOptions => ({ weights, loadWindowMs: LOAD_WINDOW_MS, shareWindow, feedback: true });
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

function row(label: string, m: Metrics): string {
  return `| ${pad(label, 44)} | ${f3(m.mrr)} | ${f3(m.s1)} | ${f3(m.s3)} | ${f3(m.s5)} | ${f3(m.s10)} | ${f3(m.p5)} | ${f3(m.round2)} | ${f3(m.maxShare)} | ${f3(m.gini)} | ${String(m.distinct).padStart(4)} |`;
}
const HEADER = `| ${pad('method', 44)} | MRR   | S@1   | S@3   | S@5   | S@10  | P@5   | rnd2  | maxSh | gini  | dist |\n|${'-'.repeat(46)}|-------|-------|-------|-------|-------|-------|-------|-------|-------|------|`;

/**
 * The best S@3 any ranker could reach if no expert may be in more than `share` of the top-3s: a maximum
 * bipartite matching of questions to one of their answerers, each expert with that capacity (the other two
 * places of a top 3 can go to anyone).
 */
function cappedOracleS3(split: Split, share: number): number {
  const capacity = Math.floor(share * split.test.length);
  const assigned = new Map<number, number[]>();
  const tryAssign = (qi: number, seen: Set<number>): boolean => {
    for (const u of split.test[qi]?.relevant ?? []) {
      if (seen.has(u)) continue;
      seen.add(u);
      const list = assigned.get(u) ?? [];
      if (list.length < capacity) {
        assigned.set(u, [...list, qi]);
        return true;
      }
      for (let j = 0; j < list.length; j++) {
        if (tryAssign(list[j] as number, seen)) {
          list[j] = qi;
          return true;
        }
      }
    }
    return false;
  };
  let matched = 0;
  for (let qi = 0; qi < split.test.length; qi++) if (tryAssign(qi, new Set())) matched++;
  return matched / Math.max(1, split.test.length);
}

async function main(): Promise<void> {
  const runs: SiteRun[] = [];
  for (const dir of dirs) runs.push(await setUp(dir));
  const folds = runs.flatMap((r) => r.folds);

  for (const r of runs) {
    const t = r.test.split;
    console.log(`## ${r.name}`);
    console.log(`test: cutoff ${t.cutoff}; history ${t.historyQuestions.length} questions / ${t.historyAnswers.length} answers; ${t.candidates.length} candidates; ${t.test.length} evaluable of ${t.questionsAfterCutoff} later questions`);
    for (const f of r.folds) {
      console.log(`validation ${f.label}: cutoff ${f.split.cutoff}; history ${f.split.historyQuestions.length} / ${f.split.historyAnswers.length}; ${f.split.candidates.length} candidates; ${f.split.test.length} evaluable; most-active S@3 ${f3(f.mostActive.s3)}`);
    }
  }
  const foldHeader = '| ' + folds.map((f) => f.label).join(' | ') + ' | mean |';

  // ---- 1. Retrieval: how the question is put to SearchIndex.similar (validation only).
  const base: Partial<RankingWeights> = { ...defaultRankingWeights, load: 0, share: 0, shareCap: 0 };
  const topicalOnly: Partial<RankingWeights> = { tag: 0, activity: 0, responsiveness: 0, speed: 0 };
  console.log('\n### Evidence retrieval through SearchIndex.similar (validation MRR, default weights, no load spreading; in brackets topical evidence alone)');
  console.log('| variant ' + foldHeader);
  let bestVariant = Object.keys(EVIDENCE_VARIANTS)[0] as string;
  let bestVariantScore = -1;
  for (const variant of Object.keys(EVIDENCE_VARIANTS)) {
    const full: number[] = [];
    const alone: number[] = [];
    for (const f of folds) {
      const p = await prepared(f, variant);
      full.push(replay(p, replayOptions(base)).mrr);
      alone.push(replay(p, replayOptions({ ...base, ...topicalOnly })).mrr);
    }
    console.log(`| ${variant} | ${full.map((v, i) => `${f3(v)} (${f3(alone[i] as number)})`).join(' | ')} | ${f3(mean(full))} (${f3(mean(alone))}) |`);
    if (mean(full) > bestVariantScore + 1e-9) {
      bestVariantScore = mean(full);
      bestVariant = variant;
    }
  }
  console.log(`chosen evidence retrieval: ${bestVariant} (best mean validation MRR)`);

  // ---- 2. Relevance weights: a small grid, no load spreading, mean validation MRR over blocks and sites.
  const grid: Partial<RankingWeights>[] = [];
  for (const tag of [0, 0.5, 1])
    for (const activity of [0.5, 1, 2])
      for (const activityExponent of [0.5, 1])
        for (const activityHalfLifeMs of [days(180), days(730), Infinity])
          for (const evidenceHalfLifeMs of [days(365), Infinity]) grid.push({ tag, activity, activityExponent, activityHalfLifeMs, evidenceHalfLifeMs });
  let chosen: Partial<RankingWeights> = base;
  let chosenScore = -1;
  const valPrep = await Promise.all(folds.map((f) => prepared(f, bestVariant)));
  for (const g of grid) {
    const w = { ...base, ...g };
    const score = mean(valPrep.map((p) => replay(p, replayOptions(w)).mrr));
    if (score > chosenScore + 1e-9) {
      chosenScore = score;
      chosen = w;
    }
  }
  const show = (w: Partial<RankingWeights>, keys: (keyof RankingWeights)[]): string =>
    keys.map((k) => `${k}=${k.endsWith('HalfLifeMs') ? (Number.isFinite(w[k]) ? `${(w[k] as number) / days(1)}d` : '∞') : String(w[k])}`).join(', ');
  console.log(`\n### Tuning on validation: ${grid.length} weight settings, no load spreading, objective mean validation MRR`);
  console.log(`chosen: ${show(chosen, ['topical', 'tag', 'activity', 'activityExponent', 'activityHalfLifeMs', 'evidenceHalfLifeMs', 'evidencePerAnswerer'])} (mean validation MRR ${f3(chosenScore)})`);
  const relevance = valPrep.map((p) => replay(p, replayOptions(chosen)));
  console.log('| ' + foldHeader.slice(2));
  console.log(`| MRR ${relevance.map((m) => f3(m.mrr)).join(' | ')} | ${f3(mean(relevance.map((m) => m.mrr)))} |`);

  // ---- 3. Load spreading on validation. Goal: maxShare ≤ 0.25 with S@3 at least most-active's. Settings: the
  // soft share cap (window × target) and a linear share penalty. Rule: among the settings with maxShare ≤ 0.25
  // in every block of every site and mean S@3 at least the blocks' mean most-active S@3, the highest mean S@3.
  // If none meets both (the previous round's fallback): the lowest mean maxShare costing at most
  // LOAD_S3_BUDGET of mean validation S@3 against no load spreading.
  const settings: { label: string; window: number; weights: Partial<RankingWeights> }[] = [];
  for (const window of SHARE_WINDOWS)
    for (const target of SHARE_TARGETS) settings.push({ label: `cap ${target}, window ${window}`, window, weights: { share: 0, shareCap: SHARE_CAP, shareTarget: target } });
  for (const share of SHARE_LINEAR) settings.push({ label: `linear ${share}, window ${defaultShareWindow}`, window: defaultShareWindow, weights: { share, shareCap: 0 } });
  const mostActiveS3 = mean(folds.map((f) => f.mostActive.s3));
  const noSpreadS3 = mean(relevance.map((m) => m.s3));
  console.log(`\n### Load spreading on validation (S@3 / maxShare per block; mean most-active S@3 ${f3(mostActiveS3)}, no spreading ${f3(noSpreadS3)})`);
  console.log('| setting ' + foldHeader.replace(' mean |', ' mean S@3 | worst maxShare | mean maxShare |'));
  let goal: { label: string; window: number; weights: Partial<RankingWeights>; s3: number } | undefined;
  let budget: { label: string; window: number; weights: Partial<RankingWeights>; spread: number } = { label: 'none', window: 0, weights: { share: 0, shareCap: 0 }, spread: mean(relevance.map((m) => m.maxShare)) };
  for (const setting of settings) {
    const ms = valPrep.map((p) => replay(p, replayOptions({ ...chosen, ...setting.weights }, setting.window)));
    const s3 = mean(ms.map((m) => m.s3));
    const worst = Math.max(...ms.map((m) => m.maxShare));
    console.log(`| ${setting.label} | ${ms.map((m) => `${f3(m.s3)} / ${f3(m.maxShare)}`).join(' | ')} | ${f3(s3)} | ${f3(worst)} | ${f3(mean(ms.map((m) => m.maxShare)))} |`);
    if (worst <= MAX_SHARE_TARGET + 1e-9 && s3 >= mostActiveS3 - 1e-9 && (goal === undefined || s3 > goal.s3 + 1e-9)) goal = { ...setting, s3 };
    const spread = mean(ms.map((m) => m.maxShare));
    if (s3 >= noSpreadS3 - LOAD_S3_BUDGET - 1e-9 && spread < budget.spread - 1e-9) budget = { ...setting, spread };
  }
  const spreading = goal ?? budget;
  const shareWindow = spreading.window;
  console.log(
    goal !== undefined
      ? `chosen: ${goal.label}: the highest mean validation S@3 among those meeting both goals on validation`
      : `no setting met both goals on validation; chosen: ${budget.label}, the lowest mean maxShare costing at most ${LOAD_S3_BUDGET} of mean validation S@3`,
  );
  // The tightest cap meeting maxShare ≤ 0.25 in every block (whatever its S@3), for the test table.
  let capped: { label: string; window: number; weights: Partial<RankingWeights>; s3: number } | undefined;
  for (const setting of settings.filter((x) => (x.weights.shareCap ?? 0) > 0)) {
    const ms = valPrep.map((p) => replay(p, replayOptions({ ...chosen, ...setting.weights }, setting.window)));
    const s3 = mean(ms.map((m) => m.s3));
    if (Math.max(...ms.map((m) => m.maxShare)) <= MAX_SHARE_TARGET + 1e-9 && (capped === undefined || s3 > capped.s3 + 1e-9)) capped = { ...setting, s3 };
  }
  if (capped !== undefined) console.log(`the best setting keeping maxShare ≤ ${MAX_SHARE_TARGET} in every block, whatever its S@3: ${capped.label} (mean validation S@3 ${f3(capped.s3)})`);
  const final: RankingWeights = { ...defaultRankingWeights, ...chosen, load: 0, ...spreading.weights };
  const differs = (Object.keys(final) as (keyof RankingWeights)[]).filter((k) => final[k] !== defaultRankingWeights[k]);
  console.log(differs.length === 0 ? 'these are the values of defaultRankingWeights.' : `differs from defaultRankingWeights in: ${differs.map((k) => `${k}=${String(final[k])}`).join(', ')}`);
  if (shareWindow !== 0 && shareWindow !== defaultShareWindow) console.log(`the share window differs from defaultShareWindow (${defaultShareWindow})`);
  const evidenceDiffers = (Object.keys(EVIDENCE_VARIANTS[bestVariant] ?? {}) as (keyof EvidenceOptions)[]).filter((k) => EVIDENCE_VARIANTS[bestVariant]?.[k] !== defaultEvidenceOptions[k]);
  console.log(evidenceDiffers.length === 0 ? 'the retrieval is defaultEvidenceOptions.' : `the retrieval differs from defaultEvidenceOptions in: ${evidenceDiffers.join(', ')}`);

  // ---- 4. Test figures with the fixed parameters.
  const json: Record<string, unknown> = {};
  const tradeOffs: string[] = [];
  for (const r of runs) {
    const p = await prepared(r.test, bestVariant);
    const product = replay(p, replayOptions(final, shareWindow));
    const noLoad = replay(p, replayOptions({ ...final, share: 0, shareCap: 0 }));
    console.log(`\n### ${r.name} — test split (cutoff ${r.test.split.cutoff}, n=${product.n})`);
    console.log(HEADER);
    console.log(row(`Praxis (${spreading.label})`, product));
    console.log(row('Praxis (no load spreading)', noLoad));
    if (capped !== undefined) console.log(row(`Praxis (${capped.label})`, replay(p, replayOptions({ ...final, ...capped.weights }, capped.window))));
    for (const name of Object.keys(baselineLabels) as BaselineName[]) console.log(row(baselineLabels[name], r.baselinesTest[name]));
    const best = Math.max(...Object.values(r.baselinesTest).map((m) => m.mrr));
    console.log(`upper bound on S@3 with maxShare ≤ ${MAX_SHARE_TARGET} (an oracle that knows the answerers; each expert in at most ${Math.floor(MAX_SHARE_TARGET * r.test.split.test.length)} top-3s): ${f3(cappedOracleS3(r.test.split, MAX_SHARE_TARGET))}`);
    console.log(`MRR vs best baseline: ${product.mrr - best >= 0 ? '+' : ''}${f3(product.mrr - best)} (${spreading.label}), ${noLoad.mrr - best >= 0 ? '+' : ''}${f3(noLoad.mrr - best)} (no load spreading); goal +0.080`);
    console.log(`S@3 vs most-active: ${f3(product.s3)} vs ${f3(r.baselinesTest.mostActive.s3)}; maxShare ${f3(product.maxShare)} (goal ≤ ${MAX_SHARE_TARGET})`);

    tradeOffs.push(`\ntrade-off on test (${r.name}; most-active: S@3 ${f3(r.baselinesTest.mostActive.s3)}, maxShare ${f3(r.baselinesTest.mostActive.maxShare)}): the share cap's target (window ${defaultShareWindow}), the linear share penalty, then the 7-day count penalty`);
    tradeOffs.push('| load spreading          | S@3   | MRR   | rnd2  | maxShare | gini  | distinct |\n|-------------------------|-------|-------|-------|----------|-------|----------|');
    const line = (label: string, m: Metrics): string =>
      `| ${pad(label, 23)} | ${f3(m.s3)} | ${f3(m.mrr)} | ${f3(m.round2)} | ${pad(f3(m.maxShare), 8)} | ${f3(m.gini)} | ${String(m.distinct).padStart(8)} |`;
    tradeOffs.push(line('none', noLoad));
    const off = { ...final, share: 0, shareCap: 0, load: 0 };
    for (const target of SHARE_SWEEP) tradeOffs.push(line(`share cap ${target}`, replay(p, replayOptions({ ...off, shareCap: SHARE_CAP, shareTarget: target }, defaultShareWindow))));
    for (const share of SHARE_LINEAR) tradeOffs.push(line(`linear share ${share}`, replay(p, replayOptions({ ...off, share }, defaultShareWindow))));
    for (const l of LOAD_SWEEP.slice(1)) tradeOffs.push(line(`count penalty ${l}`, replay(p, replayOptions({ ...off, load: l }))));
    const b = (m: Metrics): Record<string, number> => ({ mrr: m.mrr, s1: m.s1, s3: m.s3, s5: m.s5, s10: m.s10, p5: m.p5, round2: m.round2, maxShare: m.maxShare, gini: m.gini, distinct: m.distinct });
    json[r.name] = {
      ...b(product),
      n: product.n,
      noLoad: b(noLoad),
      baselines: { mostActive: b(r.baselinesTest.mostActive), tagOverlap: b(r.baselinesTest.tagOverlap), bm25: b(r.baselinesTest.bm25) },
    };
  }
  for (const line of tradeOffs) console.log(line);

  const t = measureRankTime();
  console.log(`\nranking time: rankExperts over ${t.count} synthetic candidates, ${t.runs} runs: p50 ${t.p50.toFixed(2)} ms, p99 ${t.p99.toFixed(2)} ms`);
  console.log(`bench time ${((performance.now() - started) / 1000).toFixed(1)} s`);
  console.log(
    JSON.stringify({
      sites: json,
      params: { ...final, evidenceHalfLifeMs: Number.isFinite(final.evidenceHalfLifeMs) ? final.evidenceHalfLifeMs : null, activityHalfLifeMs: Number.isFinite(final.activityHalfLifeMs) ? final.activityHalfLifeMs : null, shareWindow },
      evidence: EVIDENCE_VARIANTS[bestVariant],
      rankTimeMs: { p50: t.p50, p99: t.p99 },
    }),
  );
}

await main();
