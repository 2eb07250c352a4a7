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
 * Parameters are never fitted on the test questions: the same protocol applied to the history alone (a
 * second cutoff at the first question of the last 20 % of the history questions) is the validation split;
 * a small grid is searched there, and the test figures are reported with the chosen values.
 */
import { isAbsolute, basename, resolve } from 'node:path';
import { defaultRankingWeights, type RankingWeights } from '@praxis/domain';
import type { EvidenceOptions } from '../src/experts/evidence.js';
import { baselineLabels, evaluateBaselines, type BaselineName } from './baselines.js';
import { cutoffOf, loadSite, siteBefore, splitAt, type Split } from './data.js';
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
const LOAD_SWEEP = [0, 0.02, 0.05, 0.1, 0.2, 0.4, 0.8, 1.6];
const MAX_SHARE_TARGET = 0.25;
const LOAD_S3_BUDGET = 0.03;

const f3 = (v: number): string => v.toFixed(3);
const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));

interface SiteRun {
  name: string;
  test: Split;
  val: Split;
  baselinesTest: Record<BaselineName, Metrics>;
  baselinesVal: Record<BaselineName, Metrics>;
  valPrepared: Map<string, Prepared>;
  testPrepared: Map<string, Prepared>;
  testPort: ReturnType<typeof evidencePortOf>;
  valPort: ReturnType<typeof evidencePortOf>;
}

const EVIDENCE_VARIANTS: Record<string, Partial<EvidenceOptions>> = {
  plain: { mode: 'plain', threads: 50 },
  'content×1': { mode: 'content', queries: 1, threads: 50 },
  'content×3': { mode: 'content', queries: 3, threads: 50 },
  'content×5, 100 threads': { mode: 'content', queries: 5, threads: 100 },
};

async function setUp(dir: string): Promise<SiteRun> {
  const name = basename(resolve(dir));
  const site = loadSite(dir, name);
  const cutoff = cutoffOf(site);
  const test = splitAt(site, cutoff);
  // Validation: the same protocol on the site as it was at the test cutoff.
  const history = siteBefore(site, cutoff);
  const val = splitAt(history, cutoffOf(history));
  const [ti, vi] = await Promise.all([buildIndex(test), buildIndex(val)]);
  return {
    name,
    test,
    val,
    baselinesTest: evaluateBaselines(test),
    baselinesVal: evaluateBaselines(val),
    valPrepared: new Map(),
    testPrepared: new Map(),
    testPort: evidencePortOf(ti.index, ti.answersByThread),
    valPort: evidencePortOf(vi.index, vi.answersByThread),
  };
}

async function prepared(run: SiteRun, which: 'val' | 'test', variant: string): Promise<Prepared> {
  const cache = which === 'val' ? run.valPrepared : run.testPrepared;
  let p = cache.get(variant);
  if (p === undefined) {
    p = await prepare(which === 'val' ? run.val : run.test, which === 'val' ? run.valPort : run.testPort, EVIDENCE_VARIANTS[variant] ?? {});
    cache.set(variant, p);
  }
  return p;
}

const replayOptions = (weights: Partial<RankingWeights>): ReplayOptions => ({ weights, loadWindowMs: LOAD_WINDOW_MS, feedback: true });

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

  for (const r of runs) {
    console.log(`## ${r.name}`);
    console.log(`test: cutoff ${r.test.cutoff}; history ${r.test.historyQuestions.length} questions / ${r.test.historyAnswers.length} answers; ${r.test.candidates.length} candidates; ${r.test.test.length} evaluable of ${r.test.questionsAfterCutoff} later questions`);
    console.log(`validation: cutoff ${r.val.cutoff}; history ${r.val.historyQuestions.length} / ${r.val.historyAnswers.length}; ${r.val.candidates.length} candidates; ${r.val.test.length} evaluable (answers up to the test cutoff only)`);
  }

  // ---- 1. Retrieval: how the question is put to SearchIndex.similar (validation only).
  const base: Partial<RankingWeights> = { ...defaultRankingWeights, load: 0 };
  console.log('\n### Evidence retrieval through SearchIndex.similar (validation, default weights, no load penalty)');
  console.log('| variant | ' + runs.map((r) => `${r.name} MRR | ${r.name} topical-only MRR | threads/q`).join(' | ') + ' |');
  let bestVariant = 'plain';
  let bestVariantScore = -1;
  for (const variant of Object.keys(EVIDENCE_VARIANTS)) {
    const cells: string[] = [];
    let total = 0;
    for (const r of runs) {
      const p = await prepared(r, 'val', variant);
      const full = replay(p, replayOptions(base)).mrr;
      const topicalOnly = replay(p, replayOptions({ ...base, tag: 0, activity: 0, responsiveness: 0, speed: 0 })).mrr;
      total += full;
      cells.push(`${f3(full)} | ${f3(topicalOnly)} | ${p.meanThreads.toFixed(1)}`);
    }
    console.log(`| ${variant} | ${cells.join(' | ')} |`);
    if (total > bestVariantScore + 1e-9) {
      bestVariantScore = total;
      bestVariant = variant;
    }
  }
  console.log(`chosen evidence retrieval: ${bestVariant} (best mean validation MRR)`);
  console.log('(BM25 over whole answers, the baseline, for comparison on validation: ' + runs.map((r) => `${r.name} ${f3(r.baselinesVal.bm25.mrr)}`).join(', ') + ')');

  // ---- 2. Relevance weights: a small grid, no load penalty, mean validation MRR over the sites.
  const grid: Partial<RankingWeights>[] = [];
  for (const tag of [0, 0.5, 1])
    for (const activity of [0.5, 1, 2])
      for (const activityExponent of [0.5, 1])
        for (const activityHalfLifeMs of [days(180), days(730), Infinity])
          for (const evidenceHalfLifeMs of [days(365), Infinity]) grid.push({ tag, activity, activityExponent, activityHalfLifeMs, evidenceHalfLifeMs });
  let chosen: Partial<RankingWeights> = base;
  let chosenScore = -1;
  const valPrep = await Promise.all(runs.map((r) => prepared(r, 'val', bestVariant)));
  for (const g of grid) {
    const w = { ...base, ...g };
    const score = valPrep.reduce((s, p) => s + replay(p, replayOptions(w)).mrr, 0) / valPrep.length;
    if (score > chosenScore + 1e-9) {
      chosenScore = score;
      chosen = w;
    }
  }
  const show = (w: Partial<RankingWeights>, keys: (keyof RankingWeights)[]): string =>
    keys.map((k) => `${k}=${k.endsWith('HalfLifeMs') ? (Number.isFinite(w[k]) ? `${(w[k] as number) / days(1)}d` : '∞') : String(w[k])}`).join(', ');
  console.log(`\n### Tuning on validation: ${grid.length} weight settings, load 0, objective mean validation MRR`);
  console.log(`chosen: ${show(chosen, ['topical', 'tag', 'activity', 'activityExponent', 'activityHalfLifeMs', 'evidenceHalfLifeMs', 'evidencePerAnswerer'])} (mean validation MRR ${f3(chosenScore)})`);

  // ---- 3. Load penalty. Goal: S@3 at least most-active's while maxShare ≤ 0.25. On validation: the smallest
  // weight meeting both on every site; if none does, the largest that costs at most LOAD_S3_BUDGET of S@3
  // (against no penalty) on every site.
  console.log(`\n### Load penalty on validation (window ${LOAD_WINDOW_MS / days(1)} days; most-active S@3: ${runs.map((r) => `${r.name} ${f3(r.baselinesVal.mostActive.s3)}`).join(', ')})`);
  console.log('| load | ' + runs.map((r) => `${r.name} S@3 | MRR | maxShare`).join(' | ') + ' |');
  let bothLoad: number | undefined;
  let budgetLoad = 0;
  let noPenalty: Metrics[] = [];
  for (const load of LOAD_SWEEP) {
    const ms = valPrep.map((p) => replay(p, replayOptions({ ...chosen, load })));
    if (load === 0) noPenalty = ms;
    console.log(`| ${load} | ${ms.map((m) => `${f3(m.s3)} | ${f3(m.mrr)} | ${f3(m.maxShare)}`).join(' | ')} |`);
    const worst = Math.max(...ms.map((m) => m.maxShare));
    const quality = ms.every((m, i) => m.s3 >= (runs[i] as SiteRun).baselinesVal.mostActive.s3 - 1e-9);
    if (bothLoad === undefined && quality && worst <= MAX_SHARE_TARGET) bothLoad = load;
    if (ms.every((m, i) => m.s3 >= (noPenalty[i]?.s3 ?? 0) - LOAD_S3_BUDGET - 1e-9)) budgetLoad = Math.max(budgetLoad, load);
  }
  const load = bothLoad ?? budgetLoad;
  console.log(
    bothLoad !== undefined
      ? `chosen load = ${load}: the smallest meeting S@3 ≥ most-active and maxShare ≤ ${MAX_SHARE_TARGET} on validation`
      : `no load weight met both goals on validation; chosen load = ${load}: the largest costing at most ${LOAD_S3_BUDGET} of validation S@3 on every site`,
  );
  const final: RankingWeights = { ...defaultRankingWeights, ...chosen, load };
  const differs = (Object.keys(final) as (keyof RankingWeights)[]).filter((k) => final[k] !== defaultRankingWeights[k]);
  console.log(differs.length === 0 ? 'these are the values of defaultRankingWeights.' : `differs from defaultRankingWeights in: ${differs.map((k) => `${k}=${String(final[k])}`).join(', ')}`);

  // ---- 4. Test figures with the fixed parameters.
  const json: Record<string, unknown> = {};
  for (const r of runs) {
    const p = await prepared(r, 'test', bestVariant);
    const product = replay(p, replayOptions(final));
    const noLoad = replay(p, replayOptions({ ...final, load: 0 }));
    console.log(`\n### ${r.name} — test split (cutoff ${r.test.cutoff}, n=${product.n})`);
    console.log(HEADER);
    console.log(row(`Praxis rankExperts (load ${load})`, product));
    if (load !== 0) console.log(row('Praxis rankExperts (load 0)', noLoad));
    for (const name of Object.keys(baselineLabels) as BaselineName[]) console.log(row(baselineLabels[name], r.baselinesTest[name]));
    const best = Math.max(...Object.values(r.baselinesTest).map((m) => m.mrr));
    console.log(`upper bound on S@3 with maxShare ≤ ${MAX_SHARE_TARGET} (an oracle that knows the answerers; each expert in at most ${Math.floor(MAX_SHARE_TARGET * r.test.test.length)} top-3s): ${f3(cappedOracleS3(r.test, MAX_SHARE_TARGET))}`);
    console.log(`MRR vs best baseline: ${product.mrr - best >= 0 ? '+' : ''}${f3(product.mrr - best)} (load ${load}), ${noLoad.mrr - best >= 0 ? '+' : ''}${f3(noLoad.mrr - best)} (load 0); goal +0.080`);
    console.log(`\ntrade-off on test (${r.name}): load weight vs S@3, MRR, maxShare (most-active: S@3 ${f3(r.baselinesTest.mostActive.s3)}, maxShare ${f3(r.baselinesTest.mostActive.maxShare)})`);
    console.log('| load | S@3   | MRR   | rnd2  | maxShare | gini  | distinct |\n|------|-------|-------|-------|----------|-------|----------|');
    for (const l of LOAD_SWEEP) {
      const m = replay(p, replayOptions({ ...final, load: l }));
      console.log(`| ${pad(String(l), 4)} | ${f3(m.s3)} | ${f3(m.mrr)} | ${f3(m.round2)} | ${pad(f3(m.maxShare), 8)} | ${f3(m.gini)} | ${String(m.distinct).padStart(8)} |`);
    }
    const b = (m: Metrics): Record<string, number> => ({ mrr: m.mrr, s1: m.s1, s3: m.s3, s5: m.s5, s10: m.s10, p5: m.p5, round2: m.round2, maxShare: m.maxShare, gini: m.gini, distinct: m.distinct });
    json[r.name] = {
      ...b(product),
      n: product.n,
      noLoad: b(noLoad),
      baselines: { mostActive: b(r.baselinesTest.mostActive), tagOverlap: b(r.baselinesTest.tagOverlap), bm25: b(r.baselinesTest.bm25) },
    };
  }

  const t = measureRankTime();
  console.log(`\nranking time: rankExperts over ${t.count} synthetic candidates, ${t.runs} runs: p50 ${t.p50.toFixed(2)} ms, p99 ${t.p99.toFixed(2)} ms`);
  console.log(`bench time ${((performance.now() - started) / 1000).toFixed(1)} s`);
  console.log(JSON.stringify({ sites: json, params: { ...final, evidenceHalfLifeMs: Number.isFinite(final.evidenceHalfLifeMs) ? final.evidenceHalfLifeMs : null }, evidence: EVIDENCE_VARIANTS[bestVariant], rankTimeMs: { p50: t.p50, p99: t.p99 } }));
}

await main();
