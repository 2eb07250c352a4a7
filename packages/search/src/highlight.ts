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

interface WordSpan {
  start: number;
  end: number;
  matched: boolean;
  term: string;
}

function wordSpans(text: string, matches: TermMatcher): WordSpan[] {
  const spans: WordSpan[] = [];
  for (const found of text.matchAll(WORD)) {
    const term = normalizeWord(found[0]);
    spans.push({ start: found.index, end: found.index + found[0].length, matched: matches(term), term });
  }
  return spans;
}

/** Escapes text[from, to) and wraps the matched words in it in <mark>. */
function renderRange(text: string, spans: WordSpan[], from: number, to: number): string {
  let html = '';
  let cursor = from;
  for (const span of spans) {
    if (!span.matched || span.start < from || span.end > to) continue;
    html += `${escapeHtml(text.slice(cursor, span.start))}<mark>${escapeHtml(text.slice(span.start, span.end))}</mark>`;
    cursor = span.end;
  }
  return html + escapeHtml(text.slice(cursor, to));
}

/** The whole text as safe HTML with its matched words marked. */
export function highlightHtml(text: string, matches: TermMatcher): string {
  return renderRange(text, wordSpans(text, matches), 0, text.length);
}

interface Window {
  text: string;
  spans: WordSpan[];
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

function scoreWindow(spans: WordSpan[], first: number, last: number): number {
  const distinct = new Set<string>();
  let matched = 0;
  for (let i = first; i < last; i++) {
    const span = spans[i];
    if (span?.matched) {
      distinct.add(span.term);
      matched++;
    }
  }
  return distinct.size * 1000 + matched;
}

function bestWindow(text: string, matches: TermMatcher, size: number): Window {
  const spans = wordSpans(text, matches);
  let best: Window = { text, spans, first: 0, last: Math.min(size, spans.length), score: 0 };
  let candidates = 0;
  for (let i = 0; i < spans.length && candidates < MAX_CANDIDATES; i++) {
    if (!spans[i]?.matched) continue;
    candidates++;
    const first = Math.max(0, Math.min(i - LEAD_WORDS, spans.length - size));
    const last = Math.min(first + size, spans.length);
    const score = scoreWindow(spans, first, last);
    if (score > best.score) best = { text, spans, first, last, score };
  }
  return best;
}

function renderWindow({ text, spans, first, last }: Window): string {
  if (spans.length === 0) return escapeHtml(text.trim());
  const from = first === 0 ? 0 : (spans[first]?.start ?? 0);
  const to = last >= spans.length ? text.length : (spans[last - 1]?.end ?? text.length);
  const html = renderRange(text, spans, from, to).trim();
  return `${first > 0 ? `${ELLIPSIS} ` : ''}${html}${last < spans.length ? ` ${ELLIPSIS}` : ''}`;
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
