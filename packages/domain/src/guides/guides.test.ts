import { describe, expect, it } from 'vitest';
import {
  buildGuideDraft,
  canStepGuide,
  chooseGuideOwner,
  diffGuideRevisions,
  guideReviewDueAt,
  nextGuideStatus,
  type GuideSourceInput,
  type GuideStatus,
  type GuideStep,
} from './guides.js';

const ada = { id: 1, username: 'ada', displayName: 'Ada Ale' };
const bo = { id: 2, username: 'bo', displayName: 'Bo Brew' };
const at = (day: number) => new Date(Date.UTC(2026, 0, day));
const source = (postId: number, author: GuideSourceInput['author'], extra: Partial<GuideSourceInput> = {}): GuideSourceInput => ({
  postId,
  threadId: postId * 10,
  threadTitle: `Question ${postId}`,
  body: `Answer ${postId}\n\nsecond paragraph`,
  author,
  accepted: false,
  postedAt: at(postId),
  ...extra,
});

describe('guide status transitions', () => {
  // prettier-ignore
  const table: [GuideStatus, GuideStep, GuideStatus | null][] = [
    ['draft', 'submit', 'in_review'], ['draft', 'approve', null], ['draft', 'verify', null], ['draft', 'edit', 'draft'], ['draft', 'restore', 'draft'],
    ['in_review', 'submit', null], ['in_review', 'approve', 'published'], ['in_review', 'verify', null], ['in_review', 'edit', 'in_review'],
    ['published', 'submit', null], ['published', 'approve', null], ['published', 'verify', 'published'], ['published', 'edit', 'published'],
    ['archived', 'edit', null], ['archived', 'verify', null], ['archived', 'submit', null], ['archived', 'restore', null],
  ];
  it.each(table)('%s --%s--> %s', (from, step, to) => {
    expect(nextGuideStatus(from, step)).toBe(to);
    expect(canStepGuide(from, step)).toBe(to !== null);
  });
});

describe('buildGuideDraft', () => {
  it('quotes each source, links to the post and credits the author by name', () => {
    const body = buildGuideDraft([source(1, ada, { accepted: true }), source(2, null)]);
    expect(body).toMatch(/^_A guide built from 2 answers/);
    expect(body).toContain('> Answer 1\n>\n> second paragraph');
    expect(body).toContain('— [Accepted answer](/t/10#post-1) by **Ada Ale (@ada)** to “Question 1”');
    expect(body).toContain('— [Answer](/t/20#post-2) by **a former member** to “Question 2”');
    expect(body).toContain('2 answers');
  });
});

describe('chooseGuideOwner', () => {
  it('picks the author credited most often', () => {
    expect(chooseGuideOwner([source(1, ada), source(2, bo), source(3, bo)])).toBe(bo.id);
  });
  it('breaks ties by accepted answers, then by the earliest answer', () => {
    expect(chooseGuideOwner([source(1, ada), source(2, bo, { accepted: true })])).toBe(bo.id);
    expect(chooseGuideOwner([source(5, ada), source(2, bo)])).toBe(bo.id);
    expect(chooseGuideOwner([source(1, ada), source(2, bo)])).toBe(ada.id);
  });
  it('is null when no source has an author', () => {
    expect(chooseGuideOwner([source(1, null)])).toBeNull();
    expect(chooseGuideOwner([])).toBeNull();
  });
});

describe('guideReviewDueAt', () => {
  it('is 180 days after publishing or verifying', () => {
    expect(guideReviewDueAt(at(1)).toISOString()).toBe('2026-06-30T00:00:00.000Z');
  });
});

describe('diffGuideRevisions', () => {
  it('keeps unchanged lines whole and diffs changed lines word by word', () => {
    const d = diffGuideRevisions(
      { title: 'Dry hop', body: 'one\ntwo three\nfour\n' },
      { title: 'Dry hopping', body: 'one\ntwo 3\nfour\nfive\n' },
    );
    expect(d.title).toEqual([
      { kind: 'same', text: 'Dry ' },
      { kind: 'removed', text: 'hop' },
      { kind: 'added', text: 'hopping' },
    ]);
    expect(d.body).toEqual([
      { kind: 'same', text: 'one\ntwo ' },
      { kind: 'removed', text: 'three' },
      { kind: 'added', text: '3' },
      { kind: 'same', text: '\nfour\n' },
      { kind: 'added', text: 'five\n' },
    ]);
    expect(d.added).toBe(2);
    expect(d.removed).toBe(1);
  });
  it('is all "same" between equal revisions', () => {
    const d = diffGuideRevisions({ title: 'a', body: 'x\n' }, { title: 'a', body: 'x\n' });
    expect(d.body).toEqual([{ kind: 'same', text: 'x\n' }]);
    expect(d.added + d.removed).toBe(0);
  });
});

describe('diffGuideRevisions on a rewrite', () => {
  it('shows a rewritten block whole (removed, then added) instead of a word soup', () => {
    const d = diffGuideRevisions(
      { title: 't', body: '# Dry hopping\n\nThree to five days.\n' },
      { title: 't', body: 'Nothing quoted any more.\n' },
    );
    expect(d.body).toEqual([
      { kind: 'removed', text: '# Dry hopping\n\nThree to five days.\n' },
      { kind: 'added', text: 'Nothing quoted any more.\n' },
    ]);
  });
});
