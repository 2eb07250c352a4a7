import { describe, expect, it } from 'vitest';
import {
  checkNewcomerLimits,
  countLinks,
  DEFAULT_NEWCOMER_LIMITS,
  DEFAULT_TRUST_THRESHOLDS,
  trustLevelFor,
  type TrustStats,
} from './trust.js';

const none: TrustStats = { daysVisited: 0, topicsEntered: 0, postsRead: 0, replies: 0, acceptedAnswers: 0, flagsUpheld: 0 };
const at = (s: Partial<TrustStats>): TrustStats => ({ ...none, ...s });
const tl1 = at({ topicsEntered: 5, postsRead: 30 });
const tl2 = at({ daysVisited: 15, topicsEntered: 20, postsRead: 100, replies: 3 });
const tl3 = at({ daysVisited: 50, topicsEntered: 100, postsRead: 500, replies: 10, acceptedAnswers: 1 });

describe('trustLevelFor', () => {
  it.each([
    ['nothing yet', none, 0],
    ['read a little', at({ topicsEntered: 4, postsRead: 30 }), 0],
    ['TL1 exactly', tl1, 1],
    ['TL2 without replies', { ...tl2, replies: 2 }, 1],
    ['TL2 exactly', tl2, 2],
    ['TL3 without an accepted answer', { ...tl3, acceptedAnswers: 0 }, 2],
    ['TL3 exactly', tl3, 3],
    ['TL3 with 4 upheld flags', { ...tl3, flagsUpheld: 4 }, 3],
    ['TL3 stats, 5 upheld flags → TL2', { ...tl3, flagsUpheld: 5 }, 2],
    ['TL3 stats, 9 upheld flags → TL1', { ...tl3, flagsUpheld: 9 }, 1],
    ['TL3 stats, 13 upheld flags → TL0', { ...tl3, flagsUpheld: 13 }, 0],
    ['many replies but never read', at({ replies: 50, daysVisited: 60 }), 0],
  ] as const)('%s → TL%i', (_name, stats, level) => {
    expect(trustLevelFor(stats, DEFAULT_TRUST_THRESHOLDS)).toBe(level);
  });

  it('uses the thresholds it is given', () => {
    const easy = { ...DEFAULT_TRUST_THRESHOLDS, tl1: { ...DEFAULT_TRUST_THRESHOLDS.tl1, topicsEntered: 1, postsRead: 1 } };
    expect(trustLevelFor(at({ topicsEntered: 1, postsRead: 1 }), easy)).toBe(1);
    expect(trustLevelFor(at({ topicsEntered: 1, postsRead: 1 }))).toBe(0);
  });
});

describe('checkNewcomerLimits', () => {
  const ok = { trustLevel: 0, links: 0, mentions: 0, postsToday: 0, topicsToday: 0 };
  it.each([
    ['a plain first post', ok, null],
    ['two links', { ...ok, links: 2 }, null],
    ['three links', { ...ok, links: 3 }, 'linksPerPost'],
    ['three mentions', { ...ok, mentions: 3 }, 'mentionsPerPost'],
    ['the 11th post of the day', { ...ok, postsToday: 10 }, 'postsPerDay'],
    ['the 4th topic of the day', { ...ok, topicsToday: 3, postsToday: 3, startsTopic: true }, 'topicsPerDay'],
    ['a reply after 3 topics', { ...ok, topicsToday: 3, postsToday: 3 }, null],
    ['TL1 with many links', { ...ok, trustLevel: 1, links: 20, postsToday: 100 }, null],
  ] as const)('%s → %s', (_name, activity, limit) => {
    expect(checkNewcomerLimits(activity, DEFAULT_NEWCOMER_LIMITS)?.limit ?? null).toBe(limit);
  });

  it('says what the limit is and when it lifts', () => {
    expect(checkNewcomerLimits({ ...ok, links: 3 })?.message).toBe(
      "New members can include at most 2 links per post; you'll be able to post more after a few days of reading and replying",
    );
    expect(checkNewcomerLimits({ ...ok, mentions: 2 }, { ...DEFAULT_NEWCOMER_LIMITS, mentionsPerPost: 1 })?.message).toMatch(
      /^New members can mention at most 1 person per post;/,
    );
    expect(checkNewcomerLimits({ ...ok, postsToday: 10 })?.message).toMatch(/at most 10 times a day; try again tomorrow/);
  });
});

describe('countLinks', () => {
  it('counts external links but not mentions', () => {
    expect(
      countLinks(
        '<p><a href="https://a.example">a</a> <a class="mention" href="/u/bob">@bob</a> <a href="http://b.example" rel="nofollow">b</a></p>',
      ),
    ).toBe(2);
    expect(countLinks('<p>no links</p>')).toBe(0);
  });
});

describe('diffCharter', () => {
  it('marks removed and added lines', async () => {
    const { diffCharter } = await import('./charter.js');
    const parts = diffCharter('# Purpose\nBrew.\n', '# Purpose\nBrew and taste.\n');
    expect(parts).toEqual([
      { value: '# Purpose\n', added: false, removed: false },
      { value: 'Brew.\n', added: false, removed: true },
      { value: 'Brew and taste.\n', added: true, removed: false },
    ]);
    expect(diffCharter('', 'New')).toEqual([{ value: 'New\n', added: true, removed: false }]);
  });
});
