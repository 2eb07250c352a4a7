/**
 * A community's answering history, as the learned ranker reads it: per answerer, when they answered
 * (hour of day, weekday, recent windows), how well (accepted, votes), how fast, in which tags; their
 * answers as one profile document (Balog et al. 2006, model 1, profile-centric, scored with BM25); and who
 * answers the same threads as whom (the co-answer network).
 *
 * Deterministic and free of I/O: the caller adds the answers it loaded (the worker from the posts table,
 * the benchmark from a Stack Exchange dump, in time order so that every question sees only answers
 * before it) and asks at a time `now`; answers at or after `now` never count.
 */
import type { AnswerCounts, ExpertActivity } from './types.js';

const DAY_MS = 86_400_000;

export interface HistoryAnswer {
  authorId: number;
  threadId: number;
  /** When the question was asked (for the answering delay). */
  questionAt: number;
  answeredAt: number;
  accepted: boolean;
  score: number;
  /** The question's tags. */
  tags: readonly string[];
  /** The answer's text (with the question's title, if the caller wants it in the profile). */
  text: string;
}

const STOP = new Set(
  (
    'a about above after again against all also am an and any are as at be because been before being below between both but by ' +
    'can cant could did didnt do does doesnt doing done dont down during each either else even ever every few for from further get ' +
    'gets got had has have having he her here hers him his how however i if im in into is isnt it its itself ive just know like ' +
    'make many may me might more most much must my no nor not now of off on once one only or other our out over own same she ' +
    'should so some such than that the their them then there these they this those through to too under until up us use used ' +
    'using very want was way we well were what when where which while who why will with would yes yet you your'
  ).split(' '),
);

/** Index terms of a text: lower case, letters and digits, no stop words or one-letter words, a crude plural fold. */
export function expertTerms(text: string): string[] {
  const out: string[] = [];
  for (const raw of text
    .toLowerCase()
    .replace(/['’]/g, '')
    .match(/[\p{L}\p{M}\p{N}]+/gu) ?? []) {
    if (raw.length < 2 || STOP.has(raw)) continue;
    out.push(raw.length > 4 && raw.endsWith('s') && !raw.endsWith('ss') ? raw.slice(0, -1) : raw);
  }
  return out;
}

interface AuthorState {
  /** Answer times, ascending. */
  times: number[];
  hours: number[];
  weekdays: number[];
  accepted: number;
  scoreSum: number;
  /** Question-to-answer delays, in the order added. */
  delays: number[];
  tagCounts: Map<string, AnswerCounts>;
  tagLast: Map<string, number>;
  /** Terms in the profile document. */
  length: number;
}

function insertSorted(xs: number[], x: number): void {
  let at = xs.length;
  while (at > 0 && (xs[at - 1] as number) > x) at--;
  xs.splice(at, 0, x);
}

/** How many of the ascending `xs` are < x. */
function countBelow(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((xs[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export class ExpertHistoryIndex {
  readonly #authors = new Map<number, AuthorState>();
  /** term → author → term frequency in the author's profile. */
  readonly #postings = new Map<string, Map<number, number>>();
  #totalLength = 0;
  #answers = 0;
  readonly #tagAnswers = new Map<string, number>();
  readonly #threadAnswerers = new Map<number, Set<number>>();
  /** author → author → threads both answered. */
  readonly #co = new Map<number, Map<number, number>>();

  /** Adds one answer. Answers without an author (id ≤ 0) are ignored. */
  add(answer: HistoryAnswer): void {
    const author = answer.authorId;
    if (!(author > 0)) return;
    let state = this.#authors.get(author);
    if (state === undefined) {
      state = {
        times: [],
        hours: new Array<number>(24).fill(0),
        weekdays: new Array<number>(7).fill(0),
        accepted: 0,
        scoreSum: 0,
        delays: [],
        tagCounts: new Map(),
        tagLast: new Map(),
        length: 0,
      };
      this.#authors.set(author, state);
    }
    insertSorted(state.times, answer.answeredAt);
    const at = new Date(answer.answeredAt);
    state.hours[at.getUTCHours()] = (state.hours[at.getUTCHours()] as number) + 1;
    state.weekdays[at.getUTCDay()] = (state.weekdays[at.getUTCDay()] as number) + 1;
    if (answer.accepted) state.accepted++;
    state.scoreSum += answer.score;
    state.delays.push(Math.max(0, answer.answeredAt - answer.questionAt));
    this.#answers++;
    for (const tag of new Set(answer.tags)) {
      const counts = state.tagCounts.get(tag) ?? { answers: 0, accepted: 0 };
      state.tagCounts.set(tag, { answers: counts.answers + 1, accepted: counts.accepted + (answer.accepted ? 1 : 0) });
      state.tagLast.set(tag, Math.max(state.tagLast.get(tag) ?? -Infinity, answer.answeredAt));
      this.#tagAnswers.set(tag, (this.#tagAnswers.get(tag) ?? 0) + 1);
    }
    const terms = expertTerms(answer.text);
    state.length += terms.length;
    this.#totalLength += terms.length;
    for (const term of terms) {
      let posting = this.#postings.get(term);
      if (posting === undefined) this.#postings.set(term, (posting = new Map()));
      posting.set(author, (posting.get(author) ?? 0) + 1);
    }
    let answerers = this.#threadAnswerers.get(answer.threadId);
    if (answerers === undefined) this.#threadAnswerers.set(answer.threadId, (answerers = new Set()));
    if (!answerers.has(author)) {
      for (const other of answerers) {
        this.#bump(author, other);
        this.#bump(other, author);
      }
      answerers.add(author);
    }
  }

  #bump(a: number, b: number): void {
    let row = this.#co.get(a);
    if (row === undefined) this.#co.set(a, (row = new Map()));
    row.set(b, (row.get(b) ?? 0) + 1);
  }

  /** Everyone with at least one answer, ascending id. */
  authors(): number[] {
    return [...this.#authors.keys()].sort((a, b) => a - b);
  }

  /** Community-wide answer totals (for tag smoothing). */
  totals(): { answers: number; tagAnswers: Map<string, number> } {
    return { answers: this.#answers, tagAnswers: new Map(this.#tagAnswers) };
  }

  /** The author's answer counts, overall and per tag (everything added). */
  countsOf(authorId: number): { community: AnswerCounts; tagCounts: Map<string, AnswerCounts>; lastAnswerAt: number | null } {
    const state = this.#authors.get(authorId);
    if (state === undefined) return { community: { answers: 0, accepted: 0 }, tagCounts: new Map(), lastAnswerAt: null };
    // Copies: the index keeps growing, and a caller may hold on to what it got (the benchmark does).
    return {
      community: { answers: state.times.length, accepted: state.accepted },
      tagCounts: new Map(state.tagCounts),
      lastAnswerAt: state.times[state.times.length - 1] ?? null,
    };
  }

  /** When and how the author answers, from their answers before `now`; undefined for someone who never answered. */
  activityOf(authorId: number, now: number): ExpertActivity | undefined {
    const state = this.#authors.get(authorId);
    if (state === undefined) return undefined;
    const before = countBelow(state.times, now);
    const window = (days: number): number => before - countBelow(state.times, now - days * DAY_MS);
    const delay = median(state.delays);
    return {
      answers: state.times.length,
      accepted: state.accepted,
      scoreSum: state.scoreSum,
      last1d: window(1),
      last7d: window(7),
      last30d: window(30),
      last90d: window(90),
      lastAnswerAt: before > 0 ? (state.times[before - 1] as number) : null,
      hourCounts: [...state.hours],
      weekdayCounts: [...state.weekdays],
      medianDelayMs: delay === null ? null : Math.max(0, delay),
      tagLastAnswerAt: new Map(state.tagLast),
    };
  }

  /**
   * BM25 (k1 1.2, b 0.75) of the text against each author's answers concatenated (their profile); authors
   * without a matching term are absent.
   */
  profileScores(text: string, k1 = 1.2, b = 0.75): Map<number, number> {
    const scores = new Map<number, number>();
    const n = this.#authors.size;
    if (n === 0) return scores;
    const avg = this.#totalLength / n || 1;
    for (const term of new Set(expertTerms(text))) {
      const posting = this.#postings.get(term);
      if (posting === undefined) continue;
      const idf = Math.log(1 + (n - posting.size + 0.5) / (posting.size + 0.5));
      for (const [author, tf] of posting) {
        const length = this.#authors.get(author)?.length ?? 0;
        scores.set(author, (scores.get(author) ?? 0) + (idf * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * length) / avg)));
      }
    }
    return scores;
  }

  /**
   * The co-answer network around a question: for each author, Σ over the answerers a of the question's
   * similar threads (weight w(a) = the summed similarity of a's threads among them) of w(a) × the number of
   * threads both answered, a ≠ the author, normalised by the author's own answer count^½ so that answering
   * a lot is not counted twice.
   */
  coAnswerScores(similarThreads: ReadonlyMap<number, number>): Map<number, number> {
    const weightOf = new Map<number, number>();
    for (const [threadId, similarity] of similarThreads) {
      if (!(similarity > 0)) continue;
      for (const author of this.#threadAnswerers.get(threadId) ?? []) weightOf.set(author, (weightOf.get(author) ?? 0) + similarity);
    }
    const scores = new Map<number, number>();
    for (const [neighbour, weight] of weightOf) {
      for (const [author, together] of this.#co.get(neighbour) ?? []) scores.set(author, (scores.get(author) ?? 0) + weight * together);
    }
    for (const [author, score] of scores) scores.set(author, score / Math.sqrt(Math.max(1, this.#authors.get(author)?.times.length ?? 1)));
    return scores;
  }
}
