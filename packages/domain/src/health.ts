/**
 * Community health: the pure parts of the leaders' dashboard (the period, weekly buckets, medians,
 * the newcomer funnel, load spread, CSV). The API loads the rows; nothing here reads a clock.
 */

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

/** The longest period a report covers, and the default (12 weeks ending with the current one). */
export const MAX_HEALTH_SPAN_DAYS = 731;
export const DEFAULT_HEALTH_WEEKS = 12;

export interface HealthPeriod {
  /** Inclusive start. */
  from: Date;
  /** Exclusive end. */
  to: Date;
}

export type PeriodResult = { ok: true; period: HealthPeriod } | { ok: false; errors: Record<string, string> };

/** Monday 00:00 UTC of the week holding `date` (weeks are ISO weeks, in UTC). */
export function weekStart(date: Date): Date {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const sinceMonday = (day.getUTCDay() + 6) % 7;
  return new Date(day.getTime() - sinceMonday * DAY_MS);
}

/** The week starts from the one holding `from` up to the one holding the last instant before `to`. */
export function weeksOf(period: HealthPeriod): Date[] {
  const weeks: Date[] = [];
  const last = period.to.getTime() - 1;
  for (let w = weekStart(period.from).getTime(); w <= last; w += WEEK_MS) weeks.push(new Date(w));
  return weeks;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** A YYYY-MM-DD day (midnight UTC) or an ISO date-time; null when it is not a real date. */
function parseInstant(value: string): { date: Date; dateOnly: boolean } | null {
  const dateOnly = DATE_ONLY.test(value);
  if (!dateOnly && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) return null;
  const date = new Date(dateOnly ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(date.getTime())) return null;
  // 2025-02-30 parses as March 2: refuse dates that do not round-trip.
  if (dateOnly && date.toISOString().slice(0, 10) !== value) return null;
  return { date, dateOnly };
}

/**
 * The reporting period from `?from=&to=`. A date-only `to` includes that whole day. Without `from`:
 * the 12 weeks ending with `to`'s week; without `to`: up to now.
 */
export function resolveHealthPeriod(query: { from?: string | undefined; to?: string | undefined }, now: Date): PeriodResult {
  const errors: Record<string, string> = {};
  const from = query.from ? parseInstant(query.from) : null;
  const to = query.to ? parseInstant(query.to) : null;
  if (query.from && !from) errors.from = 'Use a date like 2026-01-31 (or an ISO date-time)';
  if (query.to && !to) errors.to = 'Use a date like 2026-03-31 (or an ISO date-time)';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const end = to ? (to.dateOnly ? new Date(to.date.getTime() + DAY_MS) : to.date) : now;
  const start = from ? from.date : new Date(weekStart(new Date(end.getTime() - 1)).getTime() - (DEFAULT_HEALTH_WEEKS - 1) * WEEK_MS);
  if (start.getTime() >= end.getTime()) return { ok: false, errors: { from: 'The start must be before the end' } };
  if (end.getTime() - start.getTime() > MAX_HEALTH_SPAN_DAYS * DAY_MS)
    return { ok: false, errors: { to: 'Choose a period of at most two years' } };
  return { ok: true, period: { from: start, to: end } };
}

/** The median of the values (mean of the middle two for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** part / whole rounded to 3 decimals; null when there is no whole. */
export const share = (part: number, whole: number): number | null => (whole > 0 ? Math.round((part / whole) * 1000) / 1000 : null);

/** Groups items by the week of `at(item)`; every week of the period is present, empty weeks too. */
export function bucketByWeek<T>(items: readonly T[], at: (item: T) => Date, period: HealthPeriod): { weekStart: Date; items: T[] }[] {
  const buckets = weeksOf(period).map((w) => ({ weekStart: w, items: [] as T[] }));
  const index = new Map(buckets.map((b, i) => [b.weekStart.getTime(), i]));
  for (const item of items) {
    const i = index.get(weekStart(at(item)).getTime());
    if (i !== undefined) buckets[i]!.items.push(item);
  }
  return buckets;
}

/** One question of the period, as the weekly series needs it (times in epoch ms). */
export interface QuestionFacts {
  createdAt: Date;
  solved: boolean;
  /** First visible answer by someone other than the asker. */
  firstAnswerAt: Date | null;
  /** First answer by a member matched to it (null if nobody matched answered, or it was not matched). */
  firstExpertAnswerAt: Date | null;
  matched: boolean;
}

export interface QuestionWeek {
  weekStart: string;
  questions: number;
  answered: number;
  solved: number;
  answeredShare: number | null;
  solvedShare: number | null;
  medianFirstAnswerMinutes: number | null;
  medianFirstExpertAnswerMinutes: number | null;
}

const minutesBetween = (a: Date, b: Date) => Math.max(0, (b.getTime() - a.getTime()) / 60_000);
const round1 = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);

/** Totals and medians of a set of questions. */
export function questionFigures(questions: readonly QuestionFacts[]) {
  const answered = questions.filter((q) => q.firstAnswerAt !== null);
  const solved = questions.filter((q) => q.solved).length;
  const matched = questions.filter((q) => q.matched);
  return {
    questions: questions.length,
    answered: answered.length,
    solved,
    answeredShare: share(answered.length, questions.length),
    solvedShare: share(solved, questions.length),
    medianFirstAnswerMinutes: round1(median(answered.map((q) => minutesBetween(q.createdAt, q.firstAnswerAt!)))),
    matchedQuestions: matched.length,
    medianFirstExpertAnswerMinutes: round1(
      median(matched.filter((q) => q.firstExpertAnswerAt).map((q) => minutesBetween(q.createdAt, q.firstExpertAnswerAt!))),
    ),
  };
}

/** The questions per week with their answered/solved shares and median times to a first (expert) answer. */
export function weeklyQuestionSeries(questions: readonly QuestionFacts[], period: HealthPeriod): QuestionWeek[] {
  return bucketByWeek(questions, (q) => q.createdAt, period).map(({ weekStart: w, items }) => {
    const { matchedQuestions: _m, ...figures } = questionFigures(items);
    return { weekStart: w.toISOString().slice(0, 10), ...figures };
  });
}

/**
 * The same figures from counts aggregated by the database: a set of questions reduced to its counts and,
 * for each median, the two middle values of the sorted minutes (the same value twice for an odd count).
 */
export interface QuestionCounts {
  questions: number;
  answered: number;
  solved: number;
  matched: number;
  /** [lower middle, upper middle] of the minutes to a first answer, null when none was answered. */
  firstAnswerMiddle: readonly [number, number] | null;
  firstExpertAnswerMiddle: readonly [number, number] | null;
}

const NO_QUESTIONS: QuestionCounts = {
  questions: 0,
  answered: 0,
  solved: 0,
  matched: 0,
  firstAnswerMiddle: null,
  firstExpertAnswerMiddle: null,
};
const middleMedian = (m: readonly [number, number] | null) => (m === null ? null : (m[0] + m[1]) / 2);

/** questionFigures() of the questions the counts were taken from. */
export function questionFiguresFromCounts(c: QuestionCounts) {
  return {
    questions: c.questions,
    answered: c.answered,
    solved: c.solved,
    answeredShare: share(c.answered, c.questions),
    solvedShare: share(c.solved, c.questions),
    medianFirstAnswerMinutes: round1(middleMedian(c.firstAnswerMiddle)),
    matchedQuestions: c.matched,
    medianFirstExpertAnswerMinutes: round1(middleMedian(c.firstExpertAnswerMiddle)),
  };
}

/** weeklyQuestionSeries() from counts per week start (YYYY-MM-DD); weeks without questions are present too. */
export function weeklyQuestionSeriesFromCounts(perWeek: ReadonlyMap<string, QuestionCounts>, period: HealthPeriod): QuestionWeek[] {
  return weeksOf(period).map((w) => {
    const weekStart = w.toISOString().slice(0, 10);
    const { matchedQuestions: _m, ...figures } = questionFiguresFromCounts(perWeek.get(weekStart) ?? NO_QUESTIONS);
    return { weekStart, ...figures };
  });
}

/** A newcomer of the period: their first post in the community was a question asked in it. */
export interface NewcomerFacts {
  /** They posted again in the community at least a day after that first question. */
  returned: boolean;
  /** They later answered someone else's question. */
  answeredSomeone: boolean;
}

/** asked → returned → answered someone; each step a subset of the one before. */
export function retentionFunnel(newcomers: readonly NewcomerFacts[]) {
  const asked = newcomers.length;
  const returned = newcomers.filter((n) => n.returned).length;
  const answeredSomeone = newcomers.filter((n) => n.returned && n.answeredSomeone).length;
  return { asked, returned, answeredSomeone, returnedShare: share(returned, asked), answeredShare: share(answeredSomeone, asked) };
}

/**
 * How evenly answering is spread: the share of answers given by the busiest fifth of answerers, and the
 * Gini coefficient (0 = everyone answers the same, towards 1 = one person answers everything).
 */
export function loadSpread(counts: readonly number[]): {
  answerers: number;
  answers: number;
  topFifthShare: number | null;
  gini: number | null;
} {
  const sorted = counts.filter((c) => c > 0).sort((a, b) => b - a);
  const total = sorted.reduce((sum, c) => sum + c, 0);
  if (sorted.length === 0) return { answerers: 0, answers: 0, topFifthShare: null, gini: null };
  const top = sorted.slice(0, Math.max(1, Math.ceil(sorted.length / 5))).reduce((sum, c) => sum + c, 0);
  // Gini over the ascending order: sum((2i - n - 1) x_i) / (n * total), i from 1.
  const n = sorted.length;
  const ascending = [...sorted].reverse();
  const weighted = ascending.reduce((sum, c, i) => sum + (2 * (i + 1) - n - 1) * c, 0);
  return { answerers: n, answers: total, topFifthShare: share(top, total), gini: Math.round((weighted / (n * total)) * 1000) / 1000 };
}

/** One CSV field: quoted when it holds a comma, quote, CR or LF (quotes doubled), and defused when a spreadsheet would run it as a formula. */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 CSV: a header row, then one row per record, CRLF line ends. */
export function toCsv(header: readonly string[], rows: readonly (readonly (string | number | boolean | null | undefined)[])[]): string {
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}
