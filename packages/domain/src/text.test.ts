import { describe, expect, it } from 'vitest';
import { normalizeTag, normalizeTags, slugify } from './text.js';

describe('normalizeTag', () => {
  it.each([
    ['  TypeScript ', 'typescript'],
    ['Node JS', 'node-js'],
    ['node   js', 'node-js'],
    ['C++', 'c++'],
    ['C#', 'c#'],
    ['.NET', '.net'],
    ['node.js', 'node.js'],
    ['Café', 'cafe'],
    ['hello, world!', 'hello-world'],
    ['a - b', 'a-b'],
    ['--edge--', 'edge'],
    ['<script>', 'script'],
    ['日本語', ''],
    ['   ', ''],
  ])('%j → %j', (raw, expected) => {
    expect(normalizeTag(raw)).toBe(expected);
  });

  it('caps the length at 30 without leaving a trailing dash', () => {
    expect(normalizeTag('a'.repeat(40))).toBe('a'.repeat(30));
    expect(normalizeTag(`${'a'.repeat(29)} b`)).toBe('a'.repeat(29));
  });
});

describe('normalizeTags', () => {
  it('normalizes, drops empties and duplicates, keeps first-seen order', () => {
    expect(normalizeTags(['Rust', ' ', 'go', 'RUST', 'Node JS', 'node-js', '!!!', 'go'])).toEqual(['rust', 'go', 'node-js']);
  });

  it('returns an empty list for nothing usable', () => {
    expect(normalizeTags([])).toEqual([]);
    expect(normalizeTags(['', '  ', '¿?'])).toEqual([]);
  });
});

describe('slugify', () => {
  it.each([
    ['Hello, World!', 'hello-world'],
    ['  How do I use C++ templates?  ', 'how-do-i-use-c-templates'],
    ['Ça va? Crème brûlée', 'ca-va-creme-brulee'],
    ['already-a-slug', 'already-a-slug'],
    ['--- ---', ''],
    ['日本語', ''],
  ])('%j → %j', (raw, expected) => {
    expect(slugify(raw)).toBe(expected);
  });

  it('caps the length at 80 without a trailing dash', () => {
    const slug = slugify(`${'word '.repeat(30)}`);
    expect(slug.length).toBeLessThanOrEqual(80);
    expect(slug.endsWith('-')).toBe(false);
    expect(slug.startsWith('word-word')).toBe(true);
  });
});
