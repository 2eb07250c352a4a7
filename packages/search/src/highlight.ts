/**
 * Turning document text into safe HTML: every character of the text is escaped, and the only markup
 * ever produced is <mark>…</mark> around matched words. Shared by both adapters.
 */

/** A word: a run of letters, combining marks and digits. Indexing and highlighting split text the same way. */
const WORD = /[\p{L}\p{M}\p{N}]+/gu;
const NON_ASCII = /[\u0080-\uffff]/;
const DIACRITICS = /\p{M}+/gu;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const ELLIPSIS = '…';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

/** Lower case without diacritics, so "Café" and "cafe" are one term. */
export function normalizeWord(word: string): string {
  const lower = word.toLowerCase();
  // normalize() is costly and almost all words are ASCII.
  return NON_ASCII.test(lower) ? lower.normalize('NFKD').replace(DIACRITICS, '') : lower;
}

/** The words of a text, as written (not normalized). */
export function tokenize(text: string): string[] {
  return text.match(WORD) ?? [];
}

/** Whether a normalized word counts as matched. */
export type TermMatcher = (normalizedWord: string) => boolean;

/**
 * Matches words equal to one of the terms (any case or accents), or, with `prefix`, starting with one:
 * a search for "ferm" then marks "Fermentation".
 */
export function termMatcher(terms: Iterable<string>, options: { prefix?: boolean } = {}): TermMatcher {
  const normalized = [...new Set([...terms].map(normalizeWord).filter((term) => term.length > 0))];
  const exact = new Set(normalized);
  if (!options.prefix) return (word) => exact.has(word);
  return (word) => exact.has(word) || normalized.some((term) => word.startsWith(term));
}

/** The words of a text: where each starts and ends, and its normalized form where it matched. */
interface Words {
  starts: number[];
  ends: number[];
  matched: (string | undefined)[];
}

/** In ASCII text, the same words as WORD, found several times faster. */
const ASCII_WORD = /[A-Za-z0-9]+/g;

function scanWords(text: string, matches: TermMatcher): Words {
  const ascii = !NON_ASCII.test(text);
  const words: Words = { starts: [], ends: [], matched: [] };
  for (const found of text.matchAll(ascii ? ASCII_WORD : WORD)) {
    const term = ascii ? found[0].toLowerCase() : normalizeWord(found[0]);
    words.starts.push(found.index);
    words.ends.push(found.index + found[0].length);
    words.matched.push(matches(term) ? term : undefined);
  }
  return words;
}

/** Escapes the text from the start of word `first` to the end of word `last - 1`, marking matched words. */
function renderWords(text: string, words: Words, first: number, last: number, from: number, to: number): string {
  let html = '';
  let cursor = from;
  for (let i = first; i < last; i++) {
    if (words.matched[i] === undefined) continue;
    const start = words.starts[i] ?? cursor;
    const end = words.ends[i] ?? cursor;
    html += `${escapeHtml(text.slice(cursor, start))}<mark>${escapeHtml(text.slice(start, end))}</mark>`;
    cursor = end;
  }
  return html + escapeHtml(text.slice(cursor, to));
}

/** The whole text as safe HTML with its matched words marked. */
export function highlightHtml(text: string, matches: TermMatcher): string {
  const words = scanWords(text, matches);
  return renderWords(text, words, 0, words.starts.length, 0, text.length);
}

interface Window {
  text: string;
  words: Words;
  first: number;
  /** Exclusive. */
  last: number;
  /** Distinct matched terms first, then matched words. */
  score: number;
}

/** Words kept before the first match of a window, so the match reads in context. */
const LEAD_WORDS = 5;
/** Bounds the work on very long texts: later matches rarely make a better window. */
const MAX_CANDIDATES = 200;

function scoreWindow({ matched }: Words, first: number, last: number): number {
  const distinct = new Set<string>();
  let count = 0;
  for (let i = first; i < last; i++) {
    const term = matched[i];
    if (term === undefined) continue;
    distinct.add(term);
    count++;
  }
  return distinct.size * 1000 + count;
}

function bestWindow(text: string, matches: TermMatcher, size: number): Window {
  const words = scanWords(text, matches);
  const length = words.starts.length;
  let best: Window = { text, words, first: 0, last: Math.min(size, length), score: 0 };
  let candidates = 0;
  for (let i = 0; i < length && candidates < MAX_CANDIDATES; i++) {
    if (words.matched[i] === undefined) continue;
    candidates++;
    const first = Math.max(0, Math.min(i - LEAD_WORDS, length - size));
    const last = Math.min(first + size, length);
    const score = scoreWindow(words, first, last);
    if (score > best.score) best = { text, words, first, last, score };
  }
  return best;
}

function renderWindow({ text, words, first, last }: Window): string {
  const length = words.starts.length;
  if (length === 0) return escapeHtml(text.trim());
  const from = first === 0 ? 0 : (words.starts[first] ?? 0);
  const to = last >= length ? text.length : (words.ends[last - 1] ?? text.length);
  const html = renderWords(text, words, first, last, from, to).trim();
  return `${first > 0 ? `${ELLIPSIS} ` : ''}${html}${last < length ? ` ${ELLIPSIS}` : ''}`;
}

/**
 * About `size` words around the best match among the texts (the window with the most distinct matched
 * terms), as safe HTML, with an ellipsis where the text was cut. Without any match, the start of the
 * first non-empty text.
 */
export function snippetHtml(texts: string[], matches: TermMatcher, size = 30): string {
  const windows = texts.filter((text) => text.trim().length > 0).map((text) => bestWindow(text, matches, size));
  const [first, ...rest] = windows;
  if (first === undefined) return '';
  const best = rest.reduce((a, b) => (b.score > a.score ? b : a), first);
  return renderWindow(best);
}

/**
 * Text in which an engine put `pre`/`post` around matches (Meilisearch's _formatted) as safe HTML: the
 * text is escaped first, then the markers become <mark>…</mark>. Unbalanced markers are dropped, so the
 * result is always well formed.
 */
export function markedToHtml(text: string, pre: string, post: string): string {
  let html = '';
  let open = false;
  let cursor = 0;
  const flush = (until: number): void => {
    html += escapeHtml(text.slice(cursor, until));
  };
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char !== pre && char !== post) continue;
    flush(i);
    cursor = i + 1;
    if (char === pre && !open) html += '<mark>';
    if (char === post && open) html += '</mark>';
    if (char === pre) open = true;
    if (char === post) open = false;
  }
  flush(text.length);
  return open ? `${html}</mark>` : html;
}
