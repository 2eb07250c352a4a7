/**
 * The baselines of /work/shared/tools/expert-eval.mjs, ported as they are there (tokenizer, BM25
 * parameters, top-100 document-centric sum, tie-breaks), so the figures agree with that script.
 */
import type { Split } from './data.js';
import { MetricsAccumulator, type Metrics } from './metrics.js';

const STOP = new Set(
  (
    'a about above after again against all am an and any are as at be because been before being below ' +
    'between both but by can could did do does doing down during each few for from further had has have having he her ' +
    'here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now of ' +
    'off on once only or other our ours ourselves out over own same she should so some such than that the their theirs ' +
    'them themselves then there these they this those through to too under until up very was we were what when where ' +
    'which while who whom why will with would you your yours yourself yourselves also get got use using used one like ' +
    'know want way would could may might much many etc e g ie eg im ive dont doesnt cant isnt thanks thank please'
  ).split(/\s+/),
);

export function tokenize(s: string): string[] {
  const out: string[] = [];
  for (const t of s
    .toLowerCase()
    .replace(/['’]/g, '')
    .split(/[^a-z0-9]+/)) {
    if (t.length < 2 || STOP.has(t)) continue;
    out.push(t.length > 4 && t.endsWith('s') && !t.endsWith('ss') ? t.slice(0, -1) : t);
  }
  return out;
}

class BM25 {
  readonly n: number;
  readonly len: Float64Array;
  readonly author: number[];
  readonly post = new Map<string, number[]>();
  readonly avg: number;

  constructor(
    docs: { author: number; tokens: string[] }[],
    readonly k1 = 1.2,
    readonly b = 0.75,
  ) {
    this.n = docs.length;
    this.len = new Float64Array(docs.length);
    this.author = docs.map((d) => d.author);
    let total = 0;
    docs.forEach((d, i) => {
      this.len[i] = d.tokens.length;
      total += d.tokens.length;
      const tf = new Map<string, number>();
      for (const t of d.tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
      for (const [t, c] of tf) {
        let p = this.post.get(t);
        if (p === undefined) this.post.set(t, (p = []));
        p.push(i, c);
      }
    });
    this.avg = total / Math.max(1, docs.length);
  }

  search(tokens: string[]): Float64Array {
    const s = new Float64Array(this.n);
    for (const t of new Set(tokens)) {
      const p = this.post.get(t);
      if (p === undefined) continue;
      const df = p.length / 2;
      const idf = Math.log(1 + (this.n - df + 0.5) / (df + 0.5));
      for (let j = 0; j < p.length; j += 2) {
        const i = p[j] as number;
        const tf = p[j + 1] as number;
        s[i] =
          (s[i] as number) + (idf * (tf * (this.k1 + 1))) / (tf + this.k1 * (1 - this.b + (this.b * (this.len[i] as number)) / this.avg));
      }
    }
    return s;
  }
}

export type BaselineName = 'mostActive' | 'tagOverlap' | 'bm25';

export const baselineLabels: Record<BaselineName, string> = {
  mostActive: 'most-active (answer count)',
  tagOverlap: 'tag overlap (Σ per-tag answer counts)',
  bm25: 'BM25 doc-centric (top-100 sum)',
};

/** The three baselines on one split: each ranks all candidates but the asker, statically. */
export function evaluateBaselines(split: Split): Record<BaselineName, Metrics> {
  const { candidates: cands, activity: count, questionById } = split;
  const C = cands.length;
  const cIdx = new Map(cands.map((u, i) => [u, i]));
  const activity = Float64Array.from(cands, (u) => count.get(u) ?? 0);
  const tagCount = new Map<number, Map<string, number>>();
  for (const a of split.historyAnswers) {
    const author = a.author_id as number;
    let m = tagCount.get(author);
    if (m === undefined) tagCount.set(author, (m = new Map()));
    for (const t of questionById.get(a.question_id)?.tags ?? []) m.set(t, (m.get(t) ?? 0) + 1);
  }
  const bm = new BM25(
    split.historyAnswers.map((a) => ({
      author: cIdx.get(a.author_id as number) as number,
      tokens: tokenize(`${questionById.get(a.question_id)?.title ?? ''}\n${a.body_text}`),
    })),
  );
  const rankOf = (scores: Float64Array, exclude: number): number[] => {
    const idx: number[] = [];
    for (let i = 0; i < C; i++) if (i !== exclude) idx.push(i);
    idx.sort(
      (i, j) =>
        (scores[j] as number) - (scores[i] as number) ||
        (activity[j] as number) - (activity[i] as number) ||
        (cands[i] as number) - (cands[j] as number),
    );
    return idx.map((i) => cands[i] as number);
  };
  const methods: Record<BaselineName, (q: Split['test'][number]['q']) => Float64Array> = {
    mostActive: () => activity,
    tagOverlap: (q) => {
      const s = new Float64Array(C);
      for (let i = 0; i < C; i++) {
        const m = tagCount.get(cands[i] as number);
        for (const t of q.tags ?? []) s[i] = (s[i] as number) + (m?.get(t) ?? 0);
      }
      return s;
    },
    bm25: (q) => {
      const d = bm.search(tokenize(`${q.title}\n${q.body_text}`));
      const order: number[] = [];
      for (let i = 0; i < d.length; i++) if ((d[i] as number) > 0) order.push(i);
      order.sort((x, y) => (d[y] as number) - (d[x] as number) || x - y);
      const s = new Float64Array(C);
      for (const i of order.slice(0, 100)) s[bm.author[i] as number] = (s[bm.author[i] as number] as number) + (d[i] as number);
      return s;
    },
  };
  const out = {} as Record<BaselineName, Metrics>;
  for (const [name, score] of Object.entries(methods) as [BaselineName, (q: Split['test'][number]['q']) => Float64Array][]) {
    const acc = new MetricsAccumulator(C);
    for (const { q, relevant } of split.test) {
      const ex = q.author_id !== null && cIdx.has(q.author_id) ? (cIdx.get(q.author_id) as number) : -1;
      acc.add(rankOf(score(q), ex), relevant);
    }
    out[name] = acc.result();
  }
  return out;
}
