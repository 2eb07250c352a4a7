import { describe, expect, it } from 'vitest';
import {
  formatDate,
  formatDateTime,
  hueFor,
  initials,
  parseTags,
  plural,
  problemMessage,
  problemToFieldErrors,
  relativeTime,
  safeNext,
  slugify,
  threadPath,
} from './format';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const ago = (seconds: number) => new Date(NOW - seconds * 1000).toISOString();

describe('relativeTime', () => {
  it('says "just now" for the last few seconds and for bad input returns ""', () => {
    expect(relativeTime(ago(0), NOW)).toBe('just now');
    expect(relativeTime(ago(30), NOW)).toBe('just now');
    expect(relativeTime('not a date', NOW)).toBe('');
  });

  it('picks the largest unit that fits', () => {
    expect(relativeTime(ago(60), NOW)).toBe('1 minute ago');
    expect(relativeTime(ago(5 * 60), NOW)).toBe('5 minutes ago');
    expect(relativeTime(ago(3 * 3600), NOW)).toBe('3 hours ago');
    expect(relativeTime(ago(24 * 3600), NOW)).toBe('yesterday');
    expect(relativeTime(ago(3 * 24 * 3600), NOW)).toBe('3 days ago');
    expect(relativeTime(ago(14 * 24 * 3600), NOW)).toBe('2 weeks ago');
    expect(relativeTime(ago(90 * 24 * 3600), NOW)).toBe('3 months ago');
    expect(relativeTime(ago(2 * 365 * 24 * 3600), NOW)).toBe('2 years ago');
  });

  it('handles the future and Date inputs', () => {
    expect(relativeTime(new Date(NOW + 2 * 3600 * 1000), new Date(NOW))).toBe('in 2 hours');
  });
});

describe('formatDate / formatDateTime', () => {
  it('formats in UTC so server and browser agree', () => {
    expect(formatDate('2026-11-23T23:30:00Z')).toBe('23 Nov 2026');
    expect(formatDateTime('2026-11-23T14:05:00Z')).toBe('23 Nov 2026, 14:05 UTC');
    expect(formatDate('garbage')).toBe('');
  });
});

describe('plural', () => {
  it('chooses the singular only for exactly one', () => {
    expect(plural(0, 'reply', 'replies')).toBe('0 replies');
    expect(plural(1, 'reply', 'replies')).toBe('1 reply');
    expect(plural(1204, 'member')).toBe('1,204 members');
  });
});

describe('parseTags', () => {
  it('splits on commas, trims, lower-cases, dedupes and keeps order', () => {
    expect(parseTags('ipa, Hops  ,#brewing, hops')).toEqual(['ipa', 'hops', 'brewing']);
  });

  it('turns inner spaces into dashes and drops empties', () => {
    expect(parseTags(' , sour beer,, , barrel   aged ')).toEqual(['sour-beer', 'barrel-aged']);
  });

  it('returns [] for empty input', () => {
    expect(parseTags('')).toEqual([]);
    expect(parseTags(null)).toEqual([]);
    expect(parseTags(undefined)).toEqual([]);
  });
});

describe('slugify / threadPath', () => {
  it('makes a readable ascii slug', () => {
    expect(slugify('How long should I age a Barleywine?')).toBe('how-long-should-i-age-a-barleywine');
    expect(slugify('Crème brûlée stout — really?')).toBe('creme-brulee-stout-really');
    expect(slugify('???')).toBe('');
  });

  it('cuts long titles at a word boundary', () => {
    const slug = slugify('word '.repeat(40), 30);
    expect(slug.length).toBeLessThanOrEqual(30);
    expect(slug.endsWith('-')).toBe(false);
    expect(slug.startsWith('word-word')).toBe(true);
  });

  it('builds thread paths with and without a slug', () => {
    expect(threadPath({ id: 42, title: 'Is cask ale better?' })).toBe('/t/42/is-cask-ale-better');
    expect(threadPath({ id: 7, title: '!!!' })).toBe('/t/7');
  });
});

describe('problemToFieldErrors', () => {
  it('maps API field paths to form fields with readable messages', () => {
    const errors = problemToFieldErrors({
      status: 400,
      errors: {
        title: 'needs at least 8 characters',
        'tags.1': 'must match pattern "^[a-z0-9][a-z0-9+#.-]*$"',
        password: 'must NOT have fewer than 10 characters',
      },
    });
    expect(errors).toEqual({
      title: 'Title needs at least 8 characters',
      tags: 'Tags must use only the allowed characters',
      password: 'Password must be at least 10 characters',
    });
  });

  it('uses the given labels, keeps the first message per field and drops (root)', () => {
    const errors = problemToFieldErrors(
      {
        errors: {
          'tags.0': 'is too long',
          'tags.3': 'is odd',
          '(root)': 'must not have additional properties',
          email: 'must match format "email"',
        },
      },
      { tags: 'Tag' },
    );
    expect(errors).toEqual({ tags: 'Tag is too long', email: 'Email must be a valid email address' });
  });

  it('rewrites schema-validator wording into plain English', () => {
    expect(
      problemToFieldErrors({ errors: { title: 'must NOT have more than 200 characters', tags: 'must NOT have more than 5 items' } }),
    ).toEqual({
      title: 'Title must be at most 200 characters',
      tags: 'Tags can have at most 5',
    });
  });

  it('keeps messages that are already sentences and handles missing problems', () => {
    expect(problemToFieldErrors({ errors: { body: 'Write something first' } })).toEqual({ body: 'Write something first' });
    expect(problemToFieldErrors(undefined)).toEqual({});
    expect(problemToFieldErrors({ title: 'Not found' })).toEqual({});
  });
});

describe('problemMessage', () => {
  it('prefers the detail, then the title, then the fallback', () => {
    expect(problemMessage({ title: 'The request is not valid', detail: 'The title needs at least 8 characters' })).toBe(
      'The title needs at least 8 characters',
    );
    expect(problemMessage({ title: 'Wrong username, email or password' })).toBe('Wrong username, email or password');
    expect(problemMessage(null, 'Nope')).toBe('Nope');
  });
});

describe('safeNext', () => {
  it('allows same-site paths only', () => {
    expect(safeNext('/t/4/some-title?x=1')).toBe('/t/4/some-title?x=1');
    expect(safeNext('//evil.example/')).toBe('/');
    expect(safeNext('/\\evil.example')).toBe('/');
    expect(safeNext('https://evil.example')).toBe('/');
    expect(safeNext('/ok\nLocation: x')).toBe('/');
    expect(safeNext(null, '/home')).toBe('/home');
  });
});

describe('initials / hueFor', () => {
  it('derives initials from names and usernames', () => {
    expect(initials('Ada Lovelace')).toBe('AL');
    expect(initials('brewer_42')).toBe('B4');
    expect(initials('hopsmith')).toBe('HO');
    expect(initials('   ')).toBe('?');
  });

  it('gives each name a stable hue', () => {
    expect(hueFor('ada')).toBe(hueFor('ada'));
    expect(hueFor('ada')).toBeGreaterThanOrEqual(0);
    expect(hueFor('ada')).toBeLessThan(360);
    expect(hueFor('ada')).not.toBe(hueFor('bob'));
  });
});
