import { describe, expect, it } from 'vitest';
import {
  bucketByWeek,
  csvField,
  loadSpread,
  median,
  questionFigures,
  questionFiguresFromCounts,
  resolveHealthPeriod,
  retentionFunnel,
  toCsv,
  weekStart,
  weeklyQuestionSeries,
  weeklyQuestionSeriesFromCounts,
  weeksOf,
  type QuestionFacts,
} from './health.js';

const d = (iso: string) => new Date(iso);
const NOW = d('2026-03-18T10:00:00Z'); // a Wednesday

describe('weeks', () => {
  it.each([
    ['2026-03-16T00:00:00Z', '2026-03-16'], // Monday
    ['2026-03-18T10:00:00Z', '2026-03-16'],
    ['2026-03-22T23:59:59Z', '2026-03-16'], // Sunday
    ['2026-03-23T00:00:00Z', '2026-03-23'],
    ['2026-01-01T12:00:00Z', '2025-12-29'], // across a year
  ])('%s is in the week of %s', (at, monday) => {
    expect(weekStart(d(at)).toISOString().slice(0, 10)).toBe(monday);
  });

  it('lists every week touched by the period, the last one partial', () => {
    const weeks = weeksOf({ from: d('2026-03-04T00:00:00Z'), to: d('2026-03-23T00:00:00Z') });
    expect(weeks.map((w) => w.toISOString().slice(0, 10))).toEqual(['2026-03-02', '2026-03-09', '2026-03-16']);
  });

  it('buckets items by week, keeping empty weeks and dropping items outside', () => {
    const period = { from: d('2026-03-02T00:00:00Z'), to: d('2026-03-23T00:00:00Z') };
    const buckets = bucketByWeek(
      [d('2026-03-03T00:00:00Z'), d('2026-03-20T00:00:00Z'), d('2026-03-21T00:00:00Z'), d('2026-04-20T00:00:00Z')],
      (x) => x,
      period,
    );
    expect(buckets.map((b) => b.items.length)).toEqual([1, 0, 2]);
  });
});

describe('resolveHealthPeriod', () => {
  it('defaults to the 12 weeks ending with the current one', () => {
    const r = resolveHealthPeriod({}, NOW);
    expect(r).toEqual({ ok: true, period: { from: d('2025-12-29T00:00:00Z'), to: NOW } });
    if (r.ok) expect(weeksOf(r.period)).toHaveLength(12);
  });

  it('takes dates (a date-only end includes that day) and date-times', () => {
    expect(resolveHealthPeriod({ from: '2026-01-01', to: '2026-01-31' }, NOW)).toEqual({
      ok: true,
      period: { from: d('2026-01-01T00:00:00Z'), to: d('2026-02-01T00:00:00Z') },
    });
    expect(resolveHealthPeriod({ from: '2026-01-01T08:00:00+01:00', to: '2026-01-02T00:00:00Z' }, NOW)).toEqual({
      ok: true,
      period: { from: d('2026-01-01T07:00:00Z'), to: d('2026-01-02T00:00:00Z') },
    });
  });

  it.each([
    [{ from: 'yesterday' }, 'from'],
    [{ to: '2026-02-30' }, 'to'],
    [{ from: '2026-13-01' }, 'from'],
    [{ from: '2026-03-01', to: '2026-02-01' }, 'from'],
    [{ from: '2026-03-01T00:00:00Z', to: '2026-03-01T00:00:00Z' }, 'from'],
    [{ from: '2023-01-01', to: '2026-01-01' }, 'to'],
  ])('refuses %j (%s)', (query, field) => {
    const r = resolveHealthPeriod(query, NOW);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(Object.keys(r.errors)).toEqual([field]);
  });
});

describe('median', () => {
  it.each([
    [[], null],
    [[5], 5],
    [[9, 1, 5], 5],
    [[4, 1, 3, 2], 2.5],
  ] as const)('%j → %s', (values, expected) => {
    expect(median(values)).toBe(expected);
  });
});

describe('questions', () => {
  const q = (created: string, answerMin: number | null, opts: Partial<QuestionFacts> = {}): QuestionFacts => ({
    createdAt: d(created),
    solved: false,
    firstAnswerAt: answerMin === null ? null : new Date(d(created).getTime() + answerMin * 60_000),
    firstExpertAnswerAt: null,
    matched: false,
    ...opts,
  });

  it('counts answered and solved shares and the median times', () => {
    const list = [
      q('2026-03-02T10:00:00Z', 30, { solved: true, matched: true, firstExpertAnswerAt: d('2026-03-02T11:00:00Z') }),
      q('2026-03-03T10:00:00Z', 90),
      q('2026-03-04T10:00:00Z', null, { matched: true }),
      q('2026-03-05T10:00:00Z', 60, { solved: true }),
    ];
    expect(questionFigures(list)).toEqual({
      questions: 4,
      answered: 3,
      solved: 2,
      answeredShare: 0.75,
      solvedShare: 0.5,
      medianFirstAnswerMinutes: 60,
      matchedQuestions: 2,
      medianFirstExpertAnswerMinutes: 60,
    });
    const weeks = weeklyQuestionSeries(list, { from: d('2026-03-02T00:00:00Z'), to: d('2026-03-16T00:00:00Z') });
    expect(weeks.map((w) => [w.weekStart, w.questions, w.answeredShare])).toEqual([
      ['2026-03-02', 4, 0.75],
      ['2026-03-09', 0, null],
    ]);
  });

  it('gives the same figures from counts and middle values (as the database aggregates them)', () => {
    const counts = {
      questions: 4,
      answered: 3,
      solved: 2,
      matched: 2,
      firstAnswerMiddle: [60, 60] as const,
      firstExpertAnswerMiddle: [60, 60] as const,
    };
    expect(questionFiguresFromCounts(counts)).toEqual({
      questions: 4,
      answered: 3,
      solved: 2,
      answeredShare: 0.75,
      solvedShare: 0.5,
      medianFirstAnswerMinutes: 60,
      matchedQuestions: 2,
      medianFirstExpertAnswerMinutes: 60,
    });
    // An even count: the mean of the two middle values, rounded like median() then round1.
    expect(questionFiguresFromCounts({ ...counts, firstAnswerMiddle: [30, 60.25], firstExpertAnswerMiddle: null })).toMatchObject({
      medianFirstAnswerMinutes: 45.1,
      medianFirstExpertAnswerMinutes: null,
    });
    const period = { from: d('2026-03-02T00:00:00Z'), to: d('2026-03-16T00:00:00Z') };
    const list = [q('2026-03-02T10:00:00Z', 30), q('2026-03-03T10:00:00Z', 90, { solved: true })];
    expect(
      weeklyQuestionSeriesFromCounts(
        new Map([
          [
            '2026-03-02',
            { questions: 2, answered: 2, solved: 1, matched: 0, firstAnswerMiddle: [30, 90] as const, firstExpertAnswerMiddle: null },
          ],
        ]),
        period,
      ),
    ).toEqual(weeklyQuestionSeries(list, period));
  });
});

describe('retentionFunnel', () => {
  it('narrows: only those who returned count as answering someone', () => {
    expect(
      retentionFunnel([
        { returned: true, answeredSomeone: true },
        { returned: true, answeredSomeone: false },
        { returned: false, answeredSomeone: true },
        { returned: false, answeredSomeone: false },
      ]),
    ).toEqual({ asked: 4, returned: 2, answeredSomeone: 1, returnedShare: 0.5, answeredShare: 0.25 });
    expect(retentionFunnel([])).toEqual({ asked: 0, returned: 0, answeredSomeone: 0, returnedShare: null, answeredShare: null });
  });
});

describe('loadSpread', () => {
  it.each([
    [[], { answerers: 0, answers: 0, topFifthShare: null, gini: null }],
    [[5, 5, 5, 5, 5], { answerers: 5, answers: 25, topFifthShare: 0.2, gini: 0 }],
    [[96, 1, 1, 1, 1], { answerers: 5, answers: 100, topFifthShare: 0.96, gini: 0.76 }],
    [[3, 0, 1], { answerers: 2, answers: 4, topFifthShare: 0.75, gini: 0.25 }],
  ])('%j', (counts, expected) => {
    expect(loadSpread(counts)).toEqual(expected);
  });
});

describe('CSV', () => {
  it.each([
    ['plain', 'plain'],
    ['a, b', '"a, b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ['-1 day', "'-1 day"],
    [-3, '-3'],
    [0.25, '0.25'],
    [null, ''],
  ] as const)('%j → %s', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it('writes a header and CRLF rows', () => {
    expect(
      toCsv(
        ['week', 'questions'],
        [
          ['2026-03-02', 4],
          ['2026-03-09', null],
        ],
      ),
    ).toBe('week,questions\r\n2026-03-02,4\r\n2026-03-09,\r\n');
  });
});
