import type { CommunityHealth } from '@praxis/contracts';
import { toCsv } from '@praxis/domain';

/** The dashboard as CSV: the weekly series, a blank line, then the unanswered-after-48-hours worklist (each with its header row). */
export function healthCsv(report: CommunityHealth, publicOrigin: string): string {
  const weekly = toCsv(
    [
      'week_start',
      'questions',
      'answered',
      'solved',
      'answered_share',
      'solved_share',
      'median_first_answer_minutes',
      'median_first_expert_answer_minutes',
      'guides_published',
      'guides_verified',
      'level_ups',
      'level_downs',
    ],
    report.weekly.map((w) => [
      w.weekStart,
      w.questions,
      w.answered,
      w.solved,
      w.answeredShare,
      w.solvedShare,
      w.medianFirstAnswerMinutes,
      w.medianFirstExpertAnswerMinutes,
      w.guidesPublished,
      w.guidesVerified,
      w.levelUps,
      w.levelDowns,
    ]),
  );
  const worklist = toCsv(
    ['unanswered_question_id', 'title', 'tags', 'author', 'created_at', 'age_hours', 'experts_asked', 'url'],
    report.unanswered.items.map((q) => [
      q.id,
      q.title,
      q.tags.join(' '),
      q.author?.username ?? null,
      q.createdAt,
      q.ageHours,
      q.matched,
      `${publicOrigin}/t/${q.id}`,
    ]),
  );
  return `${weekly}\r\n${worklist}`;
}

export const healthCsvFilename = (report: CommunityHealth) =>
  `${report.community.slug}-health-${report.period.from.slice(0, 10)}-${report.period.to.slice(0, 10)}.csv`;
