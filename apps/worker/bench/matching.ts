/**
 * Offline benchmark of expert matching on Stack Exchange dumps:
 *   pnpm bench:matching -- <siteDir> [<siteDir> ...]
 *
 * Protocol (/work/shared/tools/expert-eval.mjs, whose baselines are recomputed here and agree with it):
 * cutoff = the first question of the last 20 % by time; history = earlier questions and their answers
 * before it; candidates = everyone with a history answer; test = later questions answered by a candidate
 * other than the asker; relevant = those answerers. The product ranker replays the test questions in time
 * order, notifying its top k = 3 each time (so load spreading and match outcomes advance).
 *
 * Every site is treated alone and the same way: nothing chosen for one site depends on another site passed.
 * Choices (model or weighted score, the model's L2, load spreading) are made on the site's own validation
 * blocks: rolling origins inside the history (the last three tenths of the history questions), each with a
 * model trained on the questions before the block. The test figures come from a model trained on the whole
 * history with the chosen settings; they are never used to choose anything. Bootstrap intervals (95 %,
 * percentile, 2000 resamples, fixed seed) are over the test questions, paired for differences.
 */
import { isAbsolute, basename, resolve } from 'node:path';
import {
  defaultRankingWeights,
  defaultShareWindow,
  expertFeatureGroups,
  minTrainingQuestions,
  rankingModelSettings,
  trainRankingModel,
  type ExpertFeatureGroup,
  type RankingModel,
  type RankingWeights,
} from '@praxis/domain';
import { defaultEvidenceOptions } from '../src/experts/evidence.js';
import { baselineLabels, evaluateBaselines, type BaselineName } from './baselines.js';
import { bootstrapCI, type MetricName } from './bootstrap.js';
import { cutoffOf, loadSite, siteBefore, splitAt, type Site, type Split } from './data.js';
import { learnedData, replayRanker, replayStatic, type LearnedData } from './learned.js';
import type { Metrics } from './metrics.js';
import { measureRankTime } from './rank-time.js';
import { buildIndex, evidencePortOf, prepare, replay } from './replay.js';

const started = performance.now();
const args = process.argv.slice(2).filter((a) => a !== '--');
if (args.length === 0) {
  console.error('usage: pnpm bench:matching -- <siteDir> [<siteDir> ...]');
  process.exit(2);
}
const callerCwd = process.env.INIT_CWD ?? process.cwd();
const dirs = args.map((a) => (isAbsolute(a) ? a : resolve(callerCwd, a)));

/** Validation blocks: the last three tenths of the history questions. */
const FOLDS = [0.7, 0.8, 0.9];
/** The settings compared on validation: the weighted score, or a learned model with one of the product's settings. */
const CONFIGS: { label: string; l2: number | null; loss?: 'listwise' | 'pairwise' }[] = [
  { label: 'weighted score (defaults)', l2: null },
  ...rankingModelSettings,
];
/** Load-spreading settings compared on validation (share window = defaultShareWindow questions). */
const SPREADING: { label: string; window: number; weights: Partial<RankingWeights> }[] = [
  { label: 'none', window: 0, weights: { share: 0, shareCap: 0 } },
  ...[0.5, 1, 2, 4].map((share) => ({ label: `linear share ${share}`, window: defaultShareWindow, weights: { share, shareCap: 0 } })),
  ...[0.3, 0.4, 0.5].map((target) => ({
    label: `share cap ${target}`,
    window: defaultShareWindow,
    weights: { share: 0, shareCap: 100, shareTarget: target },
  })),
];
/** The product's load spreading (defaultRankingWeights: linear share 0.5 over the last defaultShareWindow questions). */
const PRODUCT_SPREADING = SPREADING[1] as (typeof SPREADING)[number];
/** The load goal: no expert in more than this share of the top-3s. */
const MAX_SHARE_GOAL = 0.6;

const f3 = (v: number): string => v.toFixed(3);
const sgn = (v: number): string => `${v >= 0 ? '+' : ''}${f3(v)}`;
const ci = (c: [number, number]): string => `[${f3(c[0])}, ${f3(c[1])}]`;
const dci = (c: [number, number]): string => `[${sgn(c[0])}, ${sgn(c[1])}]`;
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));

interface Origin {
  label: string;
  split: Split;
  data: LearnedData;
  baselines: Record<BaselineName, Metrics>;
}

async function originOf(label: string, site: Site, split: Split): Promise<Origin> {
  const built = await buildIndex(split);
  const data = await learnedData(site, split, evidencePortOf(built.index, built.answersByThread));
  return { label, split, data, baselines: evaluateBaselines(split) };
}

function modelFor(o: Origin, config: (typeof CONFIGS)[number], without: ExpertFeatureGroup[] = []): RankingModel | null {
  if (config.l2 === null || o.data.training.length < minTrainingQuestions) return null;
  return trainRankingModel(o.data.training, { l2: config.l2, loss: config.loss ?? 'listwise', without });
}

const run = (o: Origin, model: RankingModel | null, spreading: (typeof SPREADING)[number]): Metrics =>
  replayRanker(o.data, { model, weights: spreading.weights, shareWindow: spreading.window }, o.split.candidates.length);

const online = (o: Origin): Record<string, Metrics> => ({
  mostActiveOnline: replayStatic(o.data, (c) => c.activity?.answers ?? 0, o.split.candidates.length),
  recentlyActive: replayStatic(o.data, (c) => c.activity?.last30d ?? 0, o.split.candidates.length),
});
/** Every baseline's label: the reference three (expert-eval.mjs) and the two computed at each question's time. */
const LABELS: Record<string, string> = {
  ...baselineLabels,
  mostActiveOnline: 'most-active, online (answers before the question)',
  recentlyActive: 'recently active (answers in the last 30 days)',
};

async function runSite(dir: string): Promise<Record<string, unknown>> {
  const name = basename(resolve(dir));
  const site = loadSite(dir, name);
  const cutoff = cutoffOf(site);
  const testSplit = splitAt(site, cutoff);
  const history = siteBefore(site, cutoff);
  const folds: Origin[] = [];
  for (let i = 0; i < FOLDS.length; i++) {
    const from = history.questions[Math.floor(history.questions.length * (FOLDS[i] as number))]?.created_at as string;
    const next = FOLDS[i + 1];
    const to = next === undefined ? cutoff : (history.questions[Math.floor(history.questions.length * next)]?.created_at as string);
    const block: Site = { name, questions: history.questions.filter((q) => q.created_at < to), answers: history.answers };
    folds.push(await originOf(`${name}@${Math.round((FOLDS[i] as number) * 100)}%`, block, splitAt(block, from)));
  }
  const test = await originOf(`${name} test`, site, testSplit);

  console.log(`\n## ${name}`);
  console.log(
    `test: cutoff ${cutoff}; history ${testSplit.historyQuestions.length} questions / ${testSplit.historyAnswers.length} answers; ${testSplit.candidates.length} candidates; ${testSplit.test.length} evaluable of ${testSplit.questionsAfterCutoff} later questions; ${test.data.training.length} training questions`,
  );
  for (const f of folds) {
    console.log(
      `validation ${f.label}: origin ${f.split.cutoff}; ${f.split.candidates.length} candidates; ${f.split.test.length} evaluable; ${f.data.training.length} training questions; most-active S@3 ${f3(f.baselines.mostActive.s3)}`,
    );
  }

  // ---- 1. Model choice on validation (no load spreading): the highest mean validation MRR.
  const none = SPREADING[0] as (typeof SPREADING)[number];
  console.log(
    `\n### ${name}: model choice on validation (MRR per block, no load spreading; a fold with fewer than ${minTrainingQuestions} training questions uses the weighted score)`,
  );
  console.log(`| setting | ${folds.map((f) => f.label).join(' | ')} | mean |`);
  console.log(`|---|${folds.map(() => '---|').join('')}---|`);
  let chosen = CONFIGS[0] as (typeof CONFIGS)[number];
  let chosenScore = -1;
  const foldModels = new Map<string, (RankingModel | null)[]>();
  for (const config of CONFIGS) {
    const models = folds.map((f) => modelFor(f, config));
    foldModels.set(config.label, models);
    const mrrs = folds.map((f, i) => run(f, models[i] ?? null, none).mrr);
    console.log(`| ${config.label} | ${mrrs.map(f3).join(' | ')} | ${f3(mean(mrrs))} |`);
    if (mean(mrrs) > chosenScore + 1e-9) {
      chosenScore = mean(mrrs);
      chosen = config;
    }
  }
  const baselineRow = (label: string, pick: (o: Origin) => number): void => {
    const xs = folds.map(pick);
    console.log(`| ${label} | ${xs.map(f3).join(' | ')} | ${f3(mean(xs))} |`);
  };
  baselineRow('(most-active)', (f) => f.baselines.mostActive.mrr);
  baselineRow('(best reference baseline)', (f) => Math.max(...Object.values(f.baselines).map((m) => m.mrr)));
  console.log(`chosen: ${chosen.label} (mean validation MRR ${f3(chosenScore)})`);

  // ---- 2. Load spreading on validation with the chosen model, for the load goal (the product default stays linear
  // share 0.5): the highest mean MRR among the settings keeping maxShare ≤ 0.6 in every block; if none does, the
  // lowest worst-block maxShare.
  const models = foldModels.get(chosen.label) ?? [];
  console.log(
    `\n### ${name}: load spreading on validation (S@3 / maxShare per block; mean most-active S@3 ${f3(mean(folds.map((f) => f.baselines.mostActive.s3)))})`,
  );
  console.log(`| setting | ${folds.map((f) => f.label).join(' | ')} | mean MRR | mean S@3 | worst maxShare |`);
  console.log(`|---|${folds.map(() => '---|').join('')}---|---|---|`);
  let spreading = none;
  let spreadingScore = -1;
  let fallback = { setting: none, worst: Infinity };
  for (const setting of SPREADING) {
    const ms = folds.map((f, i) => run(f, models[i] ?? null, setting));
    const worst = Math.max(...ms.map((m) => m.maxShare));
    console.log(
      `| ${setting.label} | ${ms.map((m) => `${f3(m.s3)} / ${f3(m.maxShare)}`).join(' | ')} | ${f3(mean(ms.map((m) => m.mrr)))} | ${f3(mean(ms.map((m) => m.s3)))} | ${f3(worst)} |`,
    );
    if (worst <= MAX_SHARE_GOAL + 1e-9 && mean(ms.map((m) => m.mrr)) > spreadingScore + 1e-9) {
      spreadingScore = mean(ms.map((m) => m.mrr));
      spreading = setting;
    }
    if (worst < fallback.worst - 1e-9) fallback = { setting, worst };
  }
  if (spreadingScore < 0) spreading = fallback.setting;
  console.log(
    spreadingScore >= 0
      ? `chosen: ${spreading.label} (highest mean validation MRR with maxShare ≤ ${MAX_SHARE_GOAL} in every block)`
      : `no setting kept maxShare ≤ ${MAX_SHARE_GOAL} in every block; chosen: ${spreading.label} (lowest worst maxShare)`,
  );

  // ---- 3. Test.
  const model = modelFor(test, chosen);
  const product = run(test, model, PRODUCT_SPREADING);
  const noLoad = run(test, model, none);
  const loadGoal = run(test, model, spreading);
  const built = await buildIndex(testSplit);
  const weighted = replay(await prepare(testSplit, evidencePortOf(built.index, built.answersByThread), {}), {
    weights: {},
    loadWindowMs: 7 * 86_400_000,
    shareWindow: defaultShareWindow,
    feedback: true,
  });
  const baselines: Record<string, Metrics> = {};
  for (const b of Object.keys(baselineLabels) as BaselineName[]) baselines[b] = test.baselines[b];
  Object.assign(baselines, online(test));
  const bestName = Object.keys(baselines).reduce((a, b) => ((baselines[b] as Metrics).mrr > (baselines[a] as Metrics).mrr ? b : a));
  const best = baselines[bestName] as Metrics;
  const ranker = model === null ? 'weighted score' : 'learned model';
  const productLabel = `Praxis ${ranker} (product default: ${PRODUCT_SPREADING.label})`;

  console.log(`\n### ${name}: test split (cutoff ${cutoff}, n=${product.n}); 95 % bootstrap intervals`);
  console.log(`| ${pad('method', 52)} | MRR [95 % CI]         | S@1   | S@3 [95 % CI]         | S@5   | S@10  | maxShare | distinct |`);
  console.log(`|${'-'.repeat(54)}|-----------------------|-------|-----------------------|-------|-------|----------|----------|`);
  const line = (label: string, m: Metrics): void =>
    console.log(
      `| ${pad(label, 52)} | ${f3(m.mrr)} ${ci(bootstrapCI(m.firsts, 'mrr'))} | ${f3(m.s1)} | ${f3(m.s3)} ${ci(bootstrapCI(m.firsts, 's3'))} | ${f3(m.s5)} | ${f3(m.s10)} | ${pad(f3(m.maxShare), 8)} | ${String(m.distinct).padStart(8)} |`,
    );
  line(productLabel, product);
  line(`Praxis ${ranker} (no load spreading)`, noLoad);
  line(`Praxis ${ranker} (${spreading.label}, chosen for maxShare ≤ ${MAX_SHARE_GOAL})`, loadGoal);
  line('Praxis weighted score, 2026-12-02 defaults', weighted);
  for (const [key, m] of Object.entries(baselines)) line(LABELS[key] ?? key, m);

  console.log(`\npaired differences, ${productLabel} minus each baseline (95 % bootstrap CI):`);
  console.log('| baseline | ΔMRR [95 % CI] | ΔS@3 [95 % CI] |\n|---|---|---|');
  const deltas: Record<string, { mrr: number; mrrCI: [number, number]; s3: number; s3CI: [number, number] }> = {};
  for (const [key, m] of Object.entries(baselines)) {
    const label = LABELS[key] ?? key;
    const d = {
      mrr: product.mrr - m.mrr,
      mrrCI: bootstrapCI(product.firsts, 'mrr', m.firsts),
      s3: product.s3 - m.s3,
      s3CI: bootstrapCI(product.firsts, 's3', m.firsts),
    };
    deltas[key] = d;
    console.log(`| ${label} | ${sgn(d.mrr)} ${dci(d.mrrCI)} | ${sgn(d.s3)} ${dci(d.s3CI)} |`);
  }
  const deltaBest = deltas[bestName] as (typeof deltas)[string];
  console.log(
    `best baseline on test: ${LABELS[bestName] ?? bestName} (MRR ${f3(best.mrr)}); goal ΔMRR ≥ +0.050 with the CI above 0: ${deltaBest.mrr >= 0.05 && deltaBest.mrrCI[0] > 0 ? 'met' : 'not met'} (${sgn(deltaBest.mrr)} ${dci(deltaBest.mrrCI)})`,
  );
  for (const [label, m] of [
    ['product default', product],
    [spreading.label, loadGoal],
  ] as const) {
    console.log(
      `S@3 ${f3(m.s3)} vs most-active ${f3(test.baselines.mostActive.s3)}, maxShare ${f3(m.maxShare)} with ${label} (goal: ≥ most-active with maxShare ≤ ${MAX_SHARE_GOAL}): ${m.s3 >= test.baselines.mostActive.s3 && m.maxShare <= MAX_SHARE_GOAL ? 'met' : 'not met'}`,
    );
  }

  // ---- 4. Rolling origin: the chosen setting at every origin (validation blocks, then test), no load spreading.
  console.log(`\n### ${name}: rolling origin (chosen model setting, trained before each origin; no load spreading)`);
  console.log(
    '| origin | n | Praxis MRR | most-active MRR | best reference baseline MRR | ΔMRR vs it [95 % CI] |\n|---|---|---|---|---|---|',
  );
  for (const [i, o] of [...folds, test].entries()) {
    const m = run(o, i < folds.length ? (models[i] ?? null) : model, none);
    const bestRef = (Object.keys(o.baselines) as BaselineName[]).reduce((a, b) => (o.baselines[b].mrr > o.baselines[a].mrr ? b : a));
    const r = o.baselines[bestRef];
    console.log(
      `| ${o.label} | ${m.n} | ${f3(m.mrr)} | ${f3(o.baselines.mostActive.mrr)} | ${f3(r.mrr)} (${bestRef}) | ${sgn(m.mrr - r.mrr)} ${dci(bootstrapCI(m.firsts, 'mrr', r.firsts))} |`,
    );
  }

  // ---- 5. Ablation on test (reported, not used for any choice): each feature group left out of the model.
  if (chosen.l2 !== null && model !== null) {
    console.log(
      `\n### ${name}: ablation on test (each feature group removed and the model retrained; ${PRODUCT_SPREADING.label}; not used for any choice)`,
    );
    console.log('| without | MRR | S@3 | ΔMRR vs full [95 % CI] |\n|---|---|---|---|');
    console.log(`| (full model) | ${f3(product.mrr)} | ${f3(product.s3)} | |`);
    for (const group of Object.keys(expertFeatureGroups) as ExpertFeatureGroup[]) {
      const m = run(test, modelFor(test, chosen, [group]), PRODUCT_SPREADING);
      console.log(
        `| ${group} | ${f3(m.mrr)} | ${f3(m.s3)} | ${sgn(m.mrr - product.mrr)} ${dci(bootstrapCI(m.firsts, 'mrr', product.firsts))} |`,
      );
    }
    console.log(
      `model weights (standardised features): ${model.features.map((f, j) => `${f} ${(model.weights[j] as number).toFixed(2)}`).join(', ')}`,
    );
  }

  // ---- 6. Load trade-off on test (reported, not used for any choice).
  console.log(
    `\n### ${name}: load trade-off on test (most-active: S@3 ${f3(test.baselines.mostActive.s3)}, maxShare ${f3(test.baselines.mostActive.maxShare)})`,
  );
  console.log('| load spreading | S@3 | MRR | maxShare | distinct |\n|---|---|---|---|---|');
  for (const setting of SPREADING) {
    const m = run(test, model, setting);
    console.log(
      `| ${setting.label}${setting === spreading ? ' (chosen on validation for the load goal)' : ''}${setting === PRODUCT_SPREADING ? ' (product default)' : ''} | ${f3(m.s3)} | ${f3(m.mrr)} | ${f3(m.maxShare)} | ${m.distinct} |`,
    );
  }

  const b = (m: Metrics): Record<string, number> => ({
    mrr: m.mrr,
    s1: m.s1,
    s3: m.s3,
    s5: m.s5,
    s10: m.s10,
    p5: m.p5,
    round2: m.round2,
    maxShare: m.maxShare,
    gini: m.gini,
    distinct: m.distinct,
  });
  const cis = (m: Metrics): Record<string, [number, number]> =>
    Object.fromEntries((['mrr', 's1', 's3', 's5', 's10'] as MetricName[]).map((k) => [k, bootstrapCI(m.firsts, k)]));
  return {
    ...b(product),
    n: product.n,
    mrrCI: bootstrapCI(product.firsts, 'mrr'),
    s3CI: bootstrapCI(product.firsts, 's3'),
    ci: cis(product),
    bestBaseline: bestName,
    deltaMrr: deltaBest.mrr,
    deltaMrrCI: deltaBest.mrrCI,
    deltas,
    chosen: {
      model: chosen.label,
      learned: model !== null,
      spreading: PRODUCT_SPREADING.label,
      trainingQuestions: test.data.training.length,
    },
    noLoad: b(noLoad),
    loadGoal: { setting: spreading.label, ...b(loadGoal) },
    weighted: b(weighted),
    baselines: Object.fromEntries(Object.entries(baselines).map(([k, m]) => [k, b(m)])),
  };
}

async function main(): Promise<void> {
  const sites: Record<string, unknown> = {};
  for (const dir of dirs) sites[basename(resolve(dir))] = await runSite(dir);
  const t = measureRankTime();
  console.log(
    `\nranking time over ${t.count} synthetic candidates, ${t.runs} runs, in this run: learned model p50 ${t.learned.p50.toFixed(2)} ms, p99 ${t.learned.p99.toFixed(2)} ms; weighted score p50 ${t.p50.toFixed(2)} ms, p99 ${t.p99.toFixed(2)} ms; most-active sort p50 ${t.baseline.p50.toFixed(2)} ms, p99 ${t.baseline.p99.toFixed(2)} ms; CPU time per call: learned p50 ${t.cpu.learned.p50.toFixed(2)} ms, p99 ${t.cpu.learned.p99.toFixed(2)} ms, weighted p50 ${t.cpu.weighted.p50.toFixed(2)} ms, p99 ${t.cpu.weighted.p99.toFixed(2)} ms`,
  );
  console.log(`bench time ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const params = { ...defaultRankingWeights, shareWindow: defaultShareWindow, minTrainingQuestions };
  console.log(
    JSON.stringify({
      sites,
      params,
      evidence: defaultEvidenceOptions,
      rankTimeMs: { p50: t.learned.p50, p99: t.learned.p99, weighted: { p50: t.p50, p99: t.p99 }, mostActive: t.baseline, cpu: t.cpu },
    }),
  );
}

await main();
