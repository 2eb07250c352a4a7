import { diffLines, diffWordsWithSpace } from 'diff';
import type { CommunityRef } from '../viewer.js';

export type GuideStatus = 'draft' | 'in_review' | 'published' | 'archived';

/** A guide as the policy sees it. */
export interface GuideRef {
  id: number;
  status: GuideStatus;
  createdBy: number | null;
  /** Who sent it to review (a second leader must approve unless the community allows self-publish). */
  submittedBy: number | null;
  ownerId: number | null;
  community: CommunityRef & { guideSelfPublish: boolean };
}

export type GuideStep = 'edit' | 'submit' | 'approve' | 'verify' | 'restore';

/** In which statuses each step may happen; the policy says who, this says when. */
const allowedFrom: Record<GuideStep, readonly GuideStatus[]> = {
  edit: ['draft', 'in_review', 'published'],
  restore: ['draft', 'in_review', 'published'],
  submit: ['draft'],
  approve: ['in_review'],
  verify: ['published'],
};

const resulting: Partial<Record<GuideStep, GuideStatus>> = { submit: 'in_review', approve: 'published' };

/** Whether `step` may happen to a guide in `status`. */
export function canStepGuide(status: GuideStatus, step: GuideStep): boolean {
  return allowedFrom[step].includes(status);
}

/** The status after `step`, or null when the step is not allowed from `status` (the API answers 409). */
export function nextGuideStatus(status: GuideStatus, step: GuideStep): GuideStatus | null {
  if (!canStepGuide(status, step)) return null;
  return resulting[step] ?? status;
}

/** How long a published or verified guide stays fresh before its owner is asked to look at it again. */
export const GUIDE_REVIEW_DAYS = 180;
/** Similar questions since the last verification that make the owner be asked. */
export const GUIDE_SIMILAR_QUESTIONS_THRESHOLD = 3;

export function guideReviewDueAt(from: Date, days = GUIDE_REVIEW_DAYS): Date {
  return new Date(from.getTime() + days * 86_400_000);
}

/** One answer a guide is built from, with what the draft and the owner choice need. */
export interface GuideSourceInput {
  postId: number;
  threadId: number;
  threadTitle: string;
  body: string;
  author: { id: number; username: string; displayName: string } | null;
  /** The thread's accepted answer. */
  accepted: boolean;
  postedAt: Date;
}

export const guidePostPath = (threadId: number, postId: number): string => `/t/${threadId}#post-${postId}`;

function quote(markdown: string): string {
  return markdown
    .trim()
    .split('\n')
    .map((line) => (line.trim() === '' ? '>' : `> ${line}`))
    .join('\n');
}

function credit(source: GuideSourceInput): string {
  const who = source.author ? `${source.author.displayName} (@${source.author.username})` : 'a former member';
  return `— [${source.accepted ? 'Accepted answer' : 'Answer'}](${guidePostPath(source.threadId, source.postId)}) by **${who}** to “${source.threadTitle}”`;
}

/** One quoted, linked and credited section per source (Stack Exchange-style attribution). */
export function guideSourceSection(source: GuideSourceInput): string {
  return `### From “${source.threadTitle}”\n\n${quote(source.body)}\n\n${credit(source)}`;
}

/** The markdown of a new draft: a short intro, then each source quoted with a link and credit. */
export function buildGuideDraft(sources: readonly GuideSourceInput[]): string {
  const intro = `_A guide built from ${sources.length === 1 ? 'one answer' : `${sources.length} answers`} in this community. Rewrite it freely: the sources stay credited below the guide._`;
  // No heading of its own: the guide page shows the title as its one h1.
  return [intro, ...sources.map(guideSourceSection)].join('\n\n') + '\n';
}

/**
 * The default owner: the author credited by the most sources; ties go to the one with more accepted
 * answers among them, then to the one whose first credited answer is earliest. Null without authors.
 */
export function chooseGuideOwner(sources: readonly Pick<GuideSourceInput, 'author' | 'accepted' | 'postedAt'>[]): number | null {
  const tally = new Map<number, { count: number; accepted: number; earliest: number }>();
  for (const s of sources) {
    if (!s.author) continue;
    const t = tally.get(s.author.id) ?? { count: 0, accepted: 0, earliest: Number.POSITIVE_INFINITY };
    t.count += 1;
    if (s.accepted) t.accepted += 1;
    t.earliest = Math.min(t.earliest, s.postedAt.getTime());
    tally.set(s.author.id, t);
  }
  const ranked = [...tally.entries()].sort(
    ([aId, a], [bId, b]) => b.count - a.count || b.accepted - a.accepted || a.earliest - b.earliest || aId - bId,
  );
  return ranked[0]?.[0] ?? null;
}

export interface DiffSegment {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

export interface GuideDiff {
  title: DiffSegment[];
  body: DiffSegment[];
  added: number;
  removed: number;
}

const segments = (changes: { added?: boolean; removed?: boolean; value: string }[]): DiffSegment[] =>
  changes.map((c) => ({ kind: c.added ? 'added' : c.removed ? 'removed' : 'same', text: c.value }));

/**
 * A readable diff between two revisions: unchanged lines kept whole, changed lines diffed word by
 * word, so a reader sees exactly which words went and came. `added`/`removed` count changed lines.
 */
export function diffGuideRevisions(from: { title: string; body: string }, to: { title: string; body: string }): GuideDiff {
  const title = segments(diffWordsWithSpace(from.title, to.title));
  const body: DiffSegment[] = [];
  let added = 0;
  let removed = 0;
  const lines = diffLines(from.body, to.body);
  for (let i = 0; i < lines.length; i++) {
    const change = lines[i]!;
    const next = lines[i + 1];
    if (change.removed && next?.added) {
      // A changed block: word by word when it was edited, whole when it was rewritten (a word soup helps nobody).
      const words = segments(diffWordsWithSpace(change.value, next.value));
      const kept = words.filter((w) => w.kind === 'same').reduce((n, w) => n + w.text.trim().length, 0);
      const edited = kept >= 0.5 * Math.min(change.value.trim().length, next.value.trim().length);
      body.push(...(edited ? words : segments([change, next])));
      removed += change.count ?? 0;
      added += next.count ?? 0;
      i++;
      continue;
    }
    if (change.added) added += change.count ?? 0;
    if (change.removed) removed += change.count ?? 0;
    body.push(...segments([change]));
  }
  return { title, body: mergeSegments(body), added, removed };
}

function mergeSegments(list: DiffSegment[]): DiffSegment[] {
  const out: DiffSegment[] = [];
  for (const s of list) {
    if (s.text === '') continue;
    const last = out[out.length - 1];
    if (last && last.kind === s.kind) last.text += s.text;
    else out.push({ ...s });
  }
  return out;
}
