import { describe, expect, it } from 'vitest';
import {
  defaultRankingWeights,
  inQuietHours,
  localHour,
  orderExperts,
  rankExperts,
  type RankingContext,
  type RankingWeights,
} from './rank.js';
import type { AnswerCounts, EvidenceAnswer, ExclusionReason, ExpertCandidate, ExpertQuestion } from './types.js';

const DAY = 86_400_000;
// Wednesday 2 December 2026, 21:30 UTC (22:30 in Berlin, 16:30 in New York, 06:30 next day in Tokyo).
const NOW = Date.UTC(2026, 11, 2, 21, 30);
const ASKER = 99;

const question: ExpertQuestion = {
  threadId: 1000,
  communityId: 1,
  authorId: ASKER,
  title: 'Why does my IPA taste grassy?',
  tags: ['hops', 'ipa'],
  createdAt: NOW,
};

const totals = {
  answers: 200,
  tagAnswers: new Map([
    ['hops', 40],
    ['ipa', 20],
  ]),
};

function evidence(overrides: Partial<EvidenceAnswer> = {}): EvidenceAnswer {
  return {
    threadId: 10,
    threadTitle: 'Grassy flavour from dry hopping',
    similarity: 5,
    accepted: false,
    score: 1,
    answeredAt: NOW - 30 * DAY,
    ...overrides,
  };
}

function candidate(userId: number, overrides: Partial<ExpertCandidate> = {}): ExpertCandidate {
  return {
    userId,
    canRead: true,
    suspended: false,
    declinedThisQuestion: false,
    alreadyMatched: false,
    evidence: [],
    tagCounts: new Map<string, AnswerCounts>(),
    community: { answers: 10, accepted: 2 },
    history: { matched: 0, answered: 0, accepted: 0, medianResponseMs: null, recentMatches: 0, matchesThisWeek: 0 },
    availability: { optedIn: true, weeklyCap: null, quietHours: null, timeZone: 'UTC', mutedTags: [], wantedTags: [] },
    notMyAreaSimilarity: 0,
    ...overrides,
  };
}

const availability = (overrides: Partial<ExpertCandidate['availability']>): ExpertCandidate['availability'] => ({
  ...candidate(0).availability,
  ...overrides,
});
const history = (overrides: Partial<ExpertCandidate['history']>): ExpertCandidate['history'] => ({ ...candidate(0).history, ...overrides });

/** Every signal on, so each can move the ranking. */
const ALL_ON: Partial<RankingWeights> = { tag: 1, activity: 1, responsiveness: 0.3, speed: 0.1, load: 0.15 };

function rank(candidates: ExpertCandidate[], weights: Partial<RankingWeights> = ALL_ON, extra: Partial<RankingContext> = {}) {
  return rankExperts(question, candidates, { now: NOW, limit: 10, totals, weights, ...extra });
}
const order = (candidates: ExpertCandidate[], weights?: Partial<RankingWeights>): number[] =>
  rank(candidates, weights).shortlist.map((e) => e.userId);

describe('rankExperts: each signal moves the ranking the right way', () => {
  // [what, the candidate that should win (1), the one that should lose (2)], all else equal.
  const cases: [string, Partial<ExpertCandidate>, Partial<ExpertCandidate>][] = [
    ['more similar evidence', { evidence: [evidence(), evidence({ threadId: 11 })] }, { evidence: [evidence()] }],
    ['more similar evidence (similarity)', { evidence: [evidence({ similarity: 9 })] }, { evidence: [evidence({ similarity: 3 })] }],
    ['an accepted answer', { evidence: [evidence({ accepted: true })] }, { evidence: [evidence()] }],
    ['more votes', { evidence: [evidence({ score: 20 })] }, { evidence: [evidence({ score: 0 })] }],
    [
      'more recent evidence',
      { evidence: [evidence({ answeredAt: NOW - 10 * DAY })] },
      { evidence: [evidence({ answeredAt: NOW - 1000 * DAY })] },
    ],
    ['some evidence over none', { evidence: [evidence()] }, {}],
    [
      'tag expertise',
      { tagCounts: new Map([['hops', { answers: 12, accepted: 3 }]]) },
      { tagCounts: new Map([['yeast', { answers: 12, accepted: 3 }]]) },
    ],
    [
      'accepted answers in the tag',
      { tagCounts: new Map([['hops', { answers: 5, accepted: 4 }]]) },
      { tagCounts: new Map([['hops', { answers: 5, accepted: 0 }]]) },
    ],
    ['prior activity', { community: { answers: 50, accepted: 5 } }, { community: { answers: 10, accepted: 5 } }],
    ['recent activity', { lastAnswerAt: NOW - 5 * DAY }, { lastAnswerAt: NOW - 700 * DAY }],
    ['answers when matched', { history: history({ matched: 6, answered: 5 }) }, { history: history({ matched: 6, answered: 0 }) }],
    ['never matched beats never answering', {}, { history: history({ matched: 6, answered: 0 }) }],
    [
      'answers fast',
      { history: history({ matched: 4, answered: 2, medianResponseMs: 20 * 60_000 }) },
      { history: history({ matched: 4, answered: 2, medianResponseMs: 20 * 3_600_000 }) },
    ],
    ['the load penalty: matched often recently', {}, { history: history({ recentMatches: 5 }) }],
    ['the share cap: notified for a large share of recent questions', {}, { history: history({ recentShare: 0.3 }) }],
    ['"not my area" on similar questions', {}, { notMyAreaSimilarity: 8 }],
    ['a wanted tag', { availability: availability({ wantedTags: ['hops'] }) }, {}],
  ];
  it.each(cases)('%s', (_what, winner, loser) => {
    // The loser gets the smaller id, so that it would win a tie.
    expect(order([candidate(1, loser), candidate(2, winner)])).toEqual([2, 1]);
  });

  it('a load weight of 0 turns load spreading off', () => {
    const busy = candidate(1, { history: history({ recentMatches: 9 }) });
    expect(order([candidate(2), busy], { ...ALL_ON, load: 0 })).toEqual([1, 2]);
  });

  it('the load penalty pushes a frequently matched top expert below the next one', () => {
    const star = { evidence: [evidence({ similarity: 6 })], community: { answers: 100, accepted: 40 } };
    const second = candidate(2, { evidence: [evidence({ similarity: 5 })], community: { answers: 80, accepted: 30 } });
    expect(order([candidate(1, star), second])[0]).toBe(1);
    expect(order([candidate(1, { ...star, history: history({ recentMatches: 6 }) }), second])[0]).toBe(2);
  });
});

describe('rankExperts: the share-based soft cap', () => {
  const star = { evidence: [evidence({ similarity: 9, accepted: true })], community: { answers: 200, accepted: 80 } };
  const second = candidate(2, { evidence: [evidence({ similarity: 3 })], community: { answers: 20, accepted: 3 } });
  const nobody = candidate(3, { community: { answers: 1, accepted: 0 } });
  const CAP_ON: Partial<RankingWeights> = { ...ALL_ON, share: 0, shareCap: 10 };
  // [what, the star's recent share, weights, the expected order]
  const cases: [string, number | undefined, Partial<RankingWeights>, number[]][] = [
    ['an unknown share is no cap', undefined, {}, [1, 2, 3]],
    ['under the target: the best first', 0.15, { shareTarget: 0.2 }, [1, 2, 3]],
    ['at the target: below everyone under it, even without evidence', 0.2, { shareTarget: 0.2 }, [2, 3, 1]],
    ['over the target with the cap off (shareCap 0)', 0.5, { shareTarget: 0.2, shareCap: 0 }, [1, 2, 3]],
    ['a small cap only lets the next expert past', 0.5, { shareTarget: 0.2, shareCap: 2.5 }, [2, 1, 3]],
    ['the linear share penalty, under the target', 0.15, { shareTarget: 0.2, share: 18 }, [2, 1, 3]],
  ];
  it.each(cases)('%s', (_what, recentShare, weights, expected) => {
    const busy = candidate(1, { ...star, history: history(recentShare === undefined ? {} : { recentShare }) });
    expect(order([busy, second, nobody], { ...CAP_ON, ...weights })).toEqual(expected);
  });

  it('the cap relaxes when everyone is over the target: the order among them is kept', () => {
    const over = history({ recentShare: 0.4 });
    expect(
      order([candidate(1, { ...star, history: over }), candidate(2, { ...second, history: over })], { ...CAP_ON, shareTarget: 0.2 }),
    ).toEqual([1, 2]);
  });

  it('reports the share and its cost among the signals', () => {
    const [top] = rank([candidate(1, { ...star, history: history({ recentShare: 0.3 }) })], { ...CAP_ON, shareTarget: 0.2 }).shortlist;
    expect(top?.signals.recentShare).toBe(0.3);
    expect(top?.signals.shareScore).toBe(-10);
  });
});

describe('rankExperts: exclusions', () => {
  const berlinQuiet = availability({ timeZone: 'Europe/Berlin', quietHours: { start: 22, end: 7 } }); // 22:30 there
  const cases: [string, Partial<ExpertCandidate>, ExclusionReason | null][] = [
    ['suspended', { suspended: true }, 'suspended'],
    ['cannot read the question', { canRead: false }, 'cannot_read'],
    ['declined this question', { declinedThisQuestion: true }, 'declined'],
    ['already matched for it', { alreadyMatched: true }, 'already_matched'],
    ['opted out', { availability: availability({ optedIn: false }) }, 'opted_out'],
    ['muted a tag of the question', { availability: availability({ mutedTags: ['IPA'] }) }, 'muted_tag'],
    ['muted another tag', { availability: availability({ mutedTags: ['stout'] }) }, null],
    ['at the weekly cap', { history: history({ matchesThisWeek: 5 }), availability: availability({ weeklyCap: 5 }) }, 'weekly_cap'],
    ['under the weekly cap', { history: history({ matchesThisWeek: 4 }), availability: availability({ weeklyCap: 5 }) }, null],
    ['quiet hours in UTC (21:30 in 21–23)', { availability: availability({ quietHours: { start: 21, end: 23 } }) }, 'quiet_hours'],
    ['outside quiet hours in UTC (21:30 not in 8–21)', { availability: availability({ quietHours: { start: 8, end: 21 } }) }, null],
    ['quiet hours wrapping midnight, in Berlin (22:30 in 22–7)', { availability: berlinQuiet }, 'quiet_hours'],
    [
      'the same window in New York (16:30)',
      { availability: availability({ timeZone: 'America/New_York', quietHours: { start: 22, end: 7 } }) },
      null,
    ],
    [
      'a wrapping window in Tokyo, after midnight (06:30 in 23–7)',
      { availability: availability({ timeZone: 'Asia/Tokyo', quietHours: { start: 23, end: 7 } }) },
      'quiet_hours',
    ],
    [
      'an invalid time zone falls back to UTC (21:30 in 21–22)',
      { availability: availability({ timeZone: 'Mars/Olympus', quietHours: { start: 21, end: 22 } }) },
      'quiet_hours',
    ],
    ['an empty window (start = end)', { availability: availability({ quietHours: { start: 5, end: 5 } }) }, null],
  ];
  it.each(cases)('%s', (_what, overrides, reason) => {
    const strong = candidate(1, {
      evidence: [evidence({ similarity: 50, accepted: true })],
      community: { answers: 500, accepted: 100 },
      ...overrides,
    });
    const result = rank([strong, candidate(2)]);
    if (reason === null) {
      expect(result.shortlist.map((e) => e.userId)).toContain(1);
      expect(result.excluded).toEqual([]);
    } else {
      expect(result.shortlist.map((e) => e.userId)).toEqual([2]);
      expect(result.excluded).toEqual([{ userId: 1, reason }]);
    }
  });

  it('never shortlists the asker', () => {
    const result = rank([candidate(ASKER, { evidence: [evidence({ similarity: 99 })] }), candidate(2)]);
    expect(result.shortlist.map((e) => e.userId)).toEqual([2]);
    expect(result.excluded).toEqual([{ userId: ASKER, reason: 'asker' }]);
  });

  it('a question without an author excludes nobody as the asker', () => {
    const result = rankExperts({ ...question, authorId: null }, [candidate(ASKER)], { now: NOW, limit: 3, totals });
    expect(result.shortlist.map((e) => e.userId)).toEqual([ASKER]);
  });
});

describe('quiet hours', () => {
  it.each([
    [23, { start: 22, end: 7 }, true],
    [3, { start: 22, end: 7 }, true],
    [7, { start: 22, end: 7 }, false],
    [21.9, { start: 22, end: 7 }, false],
    [12, { start: 9, end: 17 }, true],
    [17, { start: 9, end: 17 }, false],
  ])('%s h in %o: %s', (hour, window, quiet) => expect(inQuietHours(hour, window)).toBe(quiet));

  it('reads the local time in the zone', () => {
    expect(localHour(NOW, 'UTC')).toBe(21.5);
    expect(localHour(NOW, 'Europe/Berlin')).toBe(22.5);
    expect(localHour(NOW, 'Asia/Kolkata')).toBe(3); // UTC+5:30
    expect(localHour(NOW, 'not a zone')).toBe(21.5);
  });
});

describe('rankExperts: determinism, ties and limits', () => {
  it('breaks ties by community answer count, then by user id', () => {
    const same = { community: { answers: 10, accepted: 0 } };
    const more = { community: { answers: 11, accepted: 0 } };
    // activity 0: the answer count only breaks the tie.
    expect(order([candidate(5, same), candidate(3, same), candidate(4, more)], { ...ALL_ON, activity: 0, tag: 0 })).toEqual([4, 3, 5]);
  });

  it('gives the same result for the same input, whatever the input order', () => {
    const pool = Array.from({ length: 40 }, (_, i) =>
      candidate(i + 1, {
        evidence: i % 3 === 0 ? [evidence({ similarity: (i % 7) + 1, threadId: i })] : [],
        community: { answers: (i * 7) % 13, accepted: i % 4 },
        tagCounts: new Map([['hops', { answers: i % 5, accepted: 0 }]]),
      }),
    );
    const first = rank(pool);
    expect(rank([...pool].reverse())).toEqual(first);
    expect(rank(pool)).toEqual(first);
  });

  it('returns at most `limit`, and the top of orderExperts', () => {
    const pool = Array.from({ length: 30 }, (_, i) =>
      candidate(i + 1, { community: { answers: i, accepted: 0 }, evidence: i % 4 ? [] : [evidence({ similarity: i + 1 })] }),
    );
    const result = rank(pool, ALL_ON, { limit: 3 });
    expect(result.shortlist).toHaveLength(3);
    const full = orderExperts(question, pool, { now: NOW, totals, weights: ALL_ON }).order;
    expect(full).toHaveLength(30);
    expect(result.shortlist.map((e) => [e.userId, e.score])).toEqual(full.slice(0, 3).map((e) => [e.userId, e.score]));
  });

  it('uses the documented defaults when no weights are given', () => {
    const a = rankExperts(question, [candidate(1), candidate(2, { evidence: [evidence()] })], { now: NOW, limit: 3, totals });
    const b = rankExperts(question, [candidate(1), candidate(2, { evidence: [evidence()] })], {
      now: NOW,
      limit: 3,
      totals,
      weights: defaultRankingWeights,
    });
    expect(a).toEqual(b);
  });
});

describe('rankExperts: reasons', () => {
  it('explains topical evidence with an example and the accepted count, most telling first', () => {
    const expert = candidate(1, {
      evidence: [
        evidence({ threadId: 10, similarity: 9, accepted: true, threadTitle: 'Why does my IPA taste grassy?' }),
        evidence({ threadId: 11, accepted: true }),
        evidence({ threadId: 12 }),
        evidence({ threadId: 13 }),
      ],
      tagCounts: new Map([['hops', { answers: 12, accepted: 0 }]]),
      history: history({ matched: 3, answered: 2, medianResponseMs: 40 * 60_000 }),
    });
    const [top] = rank([expert]).shortlist;
    expect(top?.reasons[0]).toBe('answered 4 similar questions, like "Why does my IPA taste grassy?" (2 accepted)');
    expect(top?.reasons).toContain('12 answers tagged hops');
    expect(top?.reasons).toContain('answers quickly when asked (median 40 min)');
    expect(top?.signals.topical).toBe(1);
  });

  it('gives every shortlisted expert at least one reason', () => {
    const pool = [
      candidate(1, { community: { answers: 0, accepted: 0 } }),
      candidate(2, { community: { answers: 100, accepted: 0 } }),
      candidate(3, { community: { answers: 1, accepted: 0 }, availability: availability({ wantedTags: ['hops'] }) }),
    ];
    const { shortlist } = rank(pool);
    expect(shortlist).toHaveLength(3);
    for (const expert of shortlist) expect(expert.reasons.length).toBeGreaterThan(0);
    expect(shortlist.find((e) => e.userId === 2)?.reasons).toContain("one of the community's most active answerers (100 answers)");
    expect(shortlist.find((e) => e.userId === 3)?.reasons).toContain('asked for questions tagged hops');
  });
});
