/**
 * The escalation ladder of a matched question: round 1 asks the top k experts; if nobody answers
 * within T, the next k; after the last round, the community's leaders; it stops as soon as someone
 * answers. Pure: the caller passes `now` and what it loaded.
 */

export interface MatchingSettings {
  expertsPerRound: number;
  rounds: number;
  escalateMinutes: number;
  /** T for a newcomer's question (their first in the community, or trust level 0). */
  newcomerEscalateMinutes: number;
  /** 'newcomers': only newcomers' questions are matched; they always are. */
  matchQuestions: 'all' | 'newcomers';
  showExpertNames: boolean;
}

export const defaultMatchingSettings: MatchingSettings = {
  expertsPerRound: 3,
  rounds: 2,
  escalateMinutes: 120,
  newcomerEscalateMinutes: 30,
  matchQuestions: 'all',
  showExpertNames: true,
};

export interface Asker {
  trustLevel: number;
  /** Questions they asked in this community before this one. */
  earlierQuestions: number;
}

export const isNewcomer = (asker: Asker): boolean => asker.trustLevel === 0 || asker.earlierQuestions === 0;

export function shouldMatchQuestion(settings: MatchingSettings, kind: 'question' | 'discussion', asker: Asker): boolean {
  if (kind !== 'question') return false;
  return settings.matchQuestions === 'all' || isNewcomer(asker);
}

export const escalationDelayMs = (settings: MatchingSettings, newcomer: boolean): number =>
  (newcomer ? Math.min(settings.newcomerEscalateMinutes, settings.escalateMinutes) : settings.escalateMinutes) * 60_000;

export interface LadderState {
  /** The last round notified, 0 before the first. */
  round: number;
  state: 'open' | 'answered' | 'leaders' | 'exhausted';
  newcomer: boolean;
  nextEscalationAt: number | null;
}

export type LadderStep =
  | { kind: 'experts'; round: number; count: number; nextEscalationAt: number }
  | { kind: 'leaders'; round: number }
  | { kind: 'stop'; reason: 'answered' | 'ended' | 'not_due' };

/**
 * What to do next for one question. `answered`: someone other than the asker has answered.
 * Round 1 is due at once; each later step when the previous round's time ran out.
 */
export function nextLadderStep(ladder: LadderState, settings: MatchingSettings, facts: { answered: boolean }, now: number): LadderStep {
  if (ladder.state !== 'open') return { kind: 'stop', reason: ladder.state === 'answered' ? 'answered' : 'ended' };
  if (facts.answered) return { kind: 'stop', reason: 'answered' };
  if (ladder.round > 0 && (ladder.nextEscalationAt === null || ladder.nextEscalationAt > now)) return { kind: 'stop', reason: 'not_due' };
  const round = ladder.round + 1;
  if (round > Math.max(1, settings.rounds)) return { kind: 'leaders', round };
  return { kind: 'experts', round, count: settings.expertsPerRound, nextEscalationAt: now + escalationDelayMs(settings, ladder.newcomer) };
}
