const MAX_TAG_LENGTH = 30;
const MAX_SLUG_LENGTH = 80;

/** "Café au lait" → "cafe au lait": fold accents so they survive the ASCII allowlists below. */
const foldAccents = (s: string): string => s.normalize('NFKD').replace(/\p{M}/gu, '');

const trimDashes = (s: string): string => s.replace(/^-+|-+$/g, '');

/** "  Node JS " → "node-js", "C++" → "c++", "C#" → "c#"; may return "" for nothing usable. */
export function normalizeTag(raw: string): string {
  const tag = foldAccents(raw.trim().toLowerCase())
    .replace(/\s+/g, '-')
    .replace(/[^a-z0-9+#.-]/g, '')
    .replace(/-{2,}/g, '-');
  return trimDashes(trimDashes(tag).slice(0, MAX_TAG_LENGTH));
}

/** Normalized, empties dropped, de-duplicated, first occurrence order kept. */
export function normalizeTags(raw: readonly string[]): string[] {
  return [...new Set(raw.map(normalizeTag).filter((tag) => tag !== ''))];
}

/** URL slug: lowercase ASCII words joined by "-", at most 80 chars; "" when nothing usable remains. */
export function slugify(raw: string): string {
  const slug = trimDashes(foldAccents(raw.toLowerCase()).replace(/[^a-z0-9]+/g, '-'));
  return trimDashes(slug.slice(0, MAX_SLUG_LENGTH));
}
