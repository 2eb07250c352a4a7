/**
 * Topical evidence for expert matching: the past answers, grouped by author, in the threads the
 * search index finds similar to a new question (the document-centric model: a thread's relevance
 * is credited to everyone who answered in it). Used by the worker's match handler and by the
 * offline benchmark (apps/worker/bench/matching.ts), so both rank on the same evidence.
 *
 * The port is tiny on purpose: the worker backs it with SearchIndex.similar and the posts table,
 * the benchmark with an embedded index and the Stack Exchange history.
 */
import type { EvidenceAnswer } from '@praxis/domain';

export interface SimilarThread {
  threadId: number;
  /** Relevance from the index; comparable only within one call. */
  score: number;
}

export interface PastAnswer {
  threadId: number;
  threadTitle: string;
  authorId: number | null;
  accepted: boolean;
  score: number;
  answeredAt: number;
}

export interface EvidencePort {
  /** Threads similar to the query text (SearchIndex.similar, permission-filtered, the new thread left out). */
  similarThreads(query: { title: string; body: string; limit: number; fields?: 'question' | 'all' }): Promise<SimilarThread[]>;
  /** The visible answers in these threads (any order). */
  answersOf(threadIds: readonly number[]): Promise<PastAnswer[]>;
}

export interface EvidenceOptions {
  /** Similar threads asked for per query. Default 100. */
  threads: number;
  /**
   * How the question becomes queries. 'plain': one query with the title and body as written (the index
   * reads only their first ten words, stop words included). 'content' (default): stop words dropped,
   * then the title and body in windows of ten words, `queries` of them, each query's scores scaled to
   * its best hit and summed per thread.
   */
  mode: 'plain' | 'content';
  /** Windows of ten content words queried in 'content' mode. Default 5. */
  queries: number;
  /**
   * What the index matches of a past thread (SimilarQuery.fields): 'question', its title and opening post;
   * 'all', its answers too. Default 'all'.
   */
  fields: 'question' | 'all';
}

/** Chosen on the validation split of the offline benchmark (docs/decisions/2026-12-02-expert-ranking.md). */
export const defaultEvidenceOptions: EvidenceOptions = { threads: 100, mode: 'content', queries: 5, fields: 'all' };

/** What the index reads of a query (see packages/search/src/query.ts MAX_QUERY_WORDS). */
const WORDS_PER_QUERY = 10;

const STOP_WORDS = new Set(
  (
    'a about above after again against all also am an and any are as at be because been before being below between both but by ' +
    'can cant could did didnt do does doesnt doing done dont down during each either else even ever every few for from further get ' +
    'gets getting got had has have having he her here hers him his how however i id if ill im in into is isnt it its itself ive just ' +
    'know let like likely lot make makes many may maybe me might more most much must my myself need new no nor not now of off ' +
    'often on once one only or other our out over own per please quite rather really said same say see seem seems she should since ' +
    'so some something still such sure take than thank thanks that thats the their them then there these they thing things think ' +
    'this those though through thus to too try trying under until up upon us use used using very want wanted was way we well were ' +
    'what whats when where whether which while who whom whose why will with without wonder wondering would yes yet you your'
  ).split(' '),
);

/** The words of a text worth matching on: lower case, no stop words, no one-letter words, each once. */
export function contentWords(text: string): string[] {
  const seen = new Set<string>();
  const words: string[] = [];
  for (const raw of text
    .toLowerCase()
    .replace(/['’]/g, '')
    .match(/[\p{L}\p{M}\p{N}]+/gu) ?? []) {
    if (raw.length < 2 || STOP_WORDS.has(raw) || seen.has(raw)) continue;
    seen.add(raw);
    words.push(raw);
  }
  return words;
}

/** The queries sent to the index for a question. */
export function evidenceQueries(question: { title: string; body: string }, options: EvidenceOptions): { title: string; body: string }[] {
  if (options.mode === 'plain') return [{ title: question.title, body: question.body }];
  const titleWords = contentWords(question.title);
  const words = contentWords(`${question.title}\n${question.body}`);
  const queries: { title: string; body: string }[] = [];
  for (let start = 0; start < words.length && queries.length < Math.max(1, options.queries); start += WORDS_PER_QUERY) {
    queries.push({ title: words.slice(start, start + WORDS_PER_QUERY).join(' '), body: '' });
  }
  if (queries.length === 0) queries.push({ title: titleWords.join(' ') || question.title, body: '' });
  return queries;
}

/** Similar threads with one relevance each: the sum over the queries of the score relative to that query's best hit. */
export async function similarThreadsFor(
  question: { title: string; body: string },
  port: EvidencePort,
  options: EvidenceOptions,
): Promise<Map<number, number>> {
  const similarity = new Map<number, number>();
  const queries = evidenceQueries(question, options);
  const responses = await Promise.all(
    queries.map((query) => port.similarThreads({ ...query, limit: options.threads, fields: options.fields })),
  );
  for (const hits of responses) {
    let top = 0;
    for (const hit of hits) if (hit.score > top) top = hit.score;
    if (!(top > 0)) continue;
    // One query is passed through as the index scored it; several are put on one scale first.
    const scale = options.mode === 'plain' ? 1 : 1 / top;
    for (const hit of hits) if (hit.score > 0) similarity.set(hit.threadId, (similarity.get(hit.threadId) ?? 0) + hit.score * scale);
  }
  return similarity;
}

/**
 * The evidence for each author: one EvidenceAnswer per past answer in a similar thread, its similarity
 * the thread's. Answers without an author are left out. The caller leaves the asker in or out (the
 * ranking excludes them anyway).
 */
export async function gatherEvidence(
  question: { title: string; body: string },
  port: EvidencePort,
  options: Partial<EvidenceOptions> = {},
): Promise<{ byAuthor: Map<number, EvidenceAnswer[]>; similarity: Map<number, number> }> {
  const settings = { ...defaultEvidenceOptions, ...options };
  const similarity = await similarThreadsFor(question, port, settings);
  const byAuthor = new Map<number, EvidenceAnswer[]>();
  if (similarity.size === 0) return { byAuthor, similarity };
  const answers = await port.answersOf([...similarity.keys()]);
  for (const answer of answers) {
    const value = similarity.get(answer.threadId);
    if (answer.authorId === null || value === undefined) continue;
    let list = byAuthor.get(answer.authorId);
    if (list === undefined) byAuthor.set(answer.authorId, (list = []));
    list.push({
      threadId: answer.threadId,
      threadTitle: answer.threadTitle,
      similarity: value,
      accepted: answer.accepted,
      score: answer.score,
      answeredAt: answer.answeredAt,
    });
  }
  for (const list of byAuthor.values())
    list.sort((a, b) => b.similarity - a.similarity || a.threadId - b.threadId || a.answeredAt - b.answeredAt);
  return { byAuthor, similarity };
}
