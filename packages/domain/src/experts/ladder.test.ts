import { describe, expect, it } from 'vitest';
import { defaultMatchingSettings, escalationDelayMs, isNewcomer, nextLadderStep, shouldMatchQuestion, type LadderState } from './ladder.js';

const MIN = 60_000;
const settings = defaultMatchingSettings;
const open = (round: number, nextEscalationAt: number | null, newcomer = false): LadderState => ({
  round,
  state: 'open',
  newcomer,
  nextEscalationAt,
});

describe('which questions are matched', () => {
  it.each([
    ['a newcomer (trust level 0)', { trustLevel: 0, earlierQuestions: 5 }, true],
    ["anyone's first question in the community", { trustLevel: 2, earlierQuestions: 0 }, true],
    ['a regular member with earlier questions', { trustLevel: 2, earlierQuestions: 3 }, false],
  ])('%s is a newcomer: %s', (_label, asker, expected) => {
    expect(isNewcomer(asker)).toBe(expected);
  });

  it("matches every question by default, only newcomers' when the community says so, never discussions", () => {
    const regular = { trustLevel: 2, earlierQuestions: 3 };
    const newcomer = { trustLevel: 0, earlierQuestions: 0 };
    expect(shouldMatchQuestion(settings, 'question', regular)).toBe(true);
    expect(shouldMatchQuestion({ ...settings, matchQuestions: 'newcomers' }, 'question', regular)).toBe(false);
    expect(shouldMatchQuestion({ ...settings, matchQuestions: 'newcomers' }, 'question', newcomer)).toBe(true);
    expect(shouldMatchQuestion(settings, 'discussion', newcomer)).toBe(false);
  });

  it("waits less for a newcomer's question, never longer than for others", () => {
    expect(escalationDelayMs(settings, false)).toBe(120 * MIN);
    expect(escalationDelayMs(settings, true)).toBe(30 * MIN);
    expect(escalationDelayMs({ ...settings, escalateMinutes: 10 }, true)).toBe(10 * MIN);
  });
});

describe('the escalation ladder, on a fake clock', () => {
  const t0 = Date.UTC(2026, 11, 2, 9, 0);

  it('asks round 1 at once, with the next step due after T', () => {
    expect(nextLadderStep(open(0, null), settings, { answered: false }, t0)).toEqual({
      kind: 'experts',
      round: 1,
      count: 3,
      nextEscalationAt: t0 + 120 * MIN,
    });
  });

  it('does nothing until T has passed, then asks the next k', () => {
    const after1 = open(1, t0 + 120 * MIN);
    expect(nextLadderStep(after1, settings, { answered: false }, t0 + 119 * MIN)).toEqual({ kind: 'stop', reason: 'not_due' });
    expect(nextLadderStep(after1, settings, { answered: false }, t0 + 120 * MIN)).toEqual({
      kind: 'experts',
      round: 2,
      count: 3,
      nextEscalationAt: t0 + 240 * MIN,
    });
  });

  it('asks the leaders after the last round, then ends', () => {
    expect(nextLadderStep(open(2, t0), settings, { answered: false }, t0)).toEqual({ kind: 'leaders', round: 3 });
    expect(nextLadderStep(open(1, t0), { ...settings, rounds: 1 }, { answered: false }, t0)).toEqual({ kind: 'leaders', round: 2 });
    expect(nextLadderStep({ ...open(3, null), state: 'leaders' }, settings, { answered: false }, t0 + 1e9)).toEqual({
      kind: 'stop',
      reason: 'ended',
    });
  });

  it('stops as soon as the question is answered, whatever the round', () => {
    for (const round of [0, 1, 2])
      expect(nextLadderStep(open(round, t0), settings, { answered: true }, t0 + 1e9)).toEqual({ kind: 'stop', reason: 'answered' });
    expect(nextLadderStep({ ...open(1, null), state: 'answered' }, settings, { answered: false }, t0)).toEqual({
      kind: 'stop',
      reason: 'answered',
    });
  });

  it('uses the per-community k', () => {
    expect(nextLadderStep(open(0, null), { ...settings, expertsPerRound: 5 }, { answered: false }, t0)).toMatchObject({
      kind: 'experts',
      count: 5,
    });
  });
});
