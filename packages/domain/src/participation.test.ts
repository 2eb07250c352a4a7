import { describe, expect, it } from 'vitest';
import {
  defaultParticipationThresholds,
  participationChange,
  participationLevelFor,
  participationRank,
  type ParticipationFigures,
  type ParticipationLevel,
} from './participation.js';

const none: ParticipationFigures = {
  role: 'member',
  posts: 0,
  questions: 0,
  answers: 0,
  accepted: 0,
  daysActive: 0,
  guidesCredited: 0,
  lifetimePosts: 0,
  lifetimeAnswers: 0,
  lifetimeAccepted: 0,
};
const f = (figures: Partial<ParticipationFigures>): ParticipationFigures => ({ ...none, ...figures });

// prettier-ignore
const cases: [string, Partial<ParticipationFigures>, ParticipationLevel][] = [
  ['joined, nothing else',                           {},                                                          'newcomer'],
  ['asked one question',                             { posts: 1, questions: 1, daysActive: 1 },                    'newcomer'],
  ['asked twice and followed up',                    { posts: 2, questions: 2, daysActive: 2 },                    'newcomer'],
  ['three posts, no answer',                         { posts: 3, questions: 2, daysActive: 2 },                    'peripheral'],
  ['one reply to someone',                           { posts: 1, answers: 1, daysActive: 1 },                      'peripheral'],
  ['a regular of the past, quiet now',               { lifetimeAnswers: 5, lifetimePosts: 8 },                     'peripheral'],
  ['four answers ever, quiet now',                   { lifetimeAnswers: 4, lifetimePosts: 4 },                     'newcomer'],
  ['three answers in one burst (one day)',           { posts: 3, answers: 3, daysActive: 1 },                      'peripheral'],
  ['three answers on three days',                    { posts: 3, answers: 3, daysActive: 3 },                      'active'],
  ['ten answers, two accepted',                      { posts: 10, answers: 10, accepted: 2, daysActive: 8 },       'active'],
  ['ten answers, three accepted, six days',          { posts: 10, answers: 10, accepted: 3, daysActive: 6 },       'core'],
  ['ten answers, three accepted, five days',         { posts: 10, answers: 10, accepted: 3, daysActive: 5 },       'active'],
  ['core with three guides credited',                { answers: 12, accepted: 4, daysActive: 7, guidesCredited: 3 }, 'leader'],
  ['active with three guides credited (not core)',   { answers: 5, accepted: 1, daysActive: 4, guidesCredited: 3 }, 'active'],
  ['sustained core: 30 answers, 10 accepted, 20 d',  { answers: 30, accepted: 10, daysActive: 20 },                'leader'],
  ['29 answers is still core',                       { answers: 29, accepted: 10, daysActive: 20 },                'core'],
  ['a leader role, no activity',                     { role: 'leader' },                                           'leader'],
  ['a community moderator role',                     { role: 'moderator' },                                        'leader'],
];

describe('participationLevelFor', () => {
  it.each(cases)('%s → %s', (_name, figures, level) => {
    expect(participationLevelFor(f(figures))).toBe(level);
  });

  it('uses the thresholds it is given', () => {
    const strict = { ...defaultParticipationThresholds, active: { answers: 5, daysActive: 5 } };
    expect(participationLevelFor(f({ answers: 3, daysActive: 3 }), strict)).toBe('peripheral');
  });

  it('never ranks a member lower for doing more', () => {
    let previous = 0;
    for (let n = 0; n <= 40; n++) {
      const rank = participationRank(
        participationLevelFor(f({ posts: n, answers: n, accepted: Math.floor(n / 3), daysActive: Math.ceil(n / 1.5), lifetimeAnswers: n })),
      );
      expect(rank).toBeGreaterThanOrEqual(previous);
      previous = rank;
    }
  });
});

describe('participationChange', () => {
  it.each([
    [null, 'newcomer', { from: null, to: 'newcomer', direction: 'new' }],
    ['newcomer', 'active', { from: 'newcomer', to: 'active', direction: 'up' }],
    ['core', 'peripheral', { from: 'core', to: 'peripheral', direction: 'down' }],
    ['active', 'active', null],
  ] as const)('%s → %s', (from, to, expected) => {
    expect(participationChange(from, to)).toEqual(expected);
  });
});
