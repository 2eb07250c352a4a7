/** Small pure helpers shared by pages and the server. No I/O, no clock: pass `now` in. */

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** "just now", "5 minutes ago", "yesterday", "3 years ago" (or "in 2 hours" for future dates). */
export function relativeTime(date: string | Date, now: Date | number = Date.now()): string {
  const then = typeof date === 'string' ? Date.parse(date) : date.getTime();
  if (Number.isNaN(then)) return '';
  const seconds = Math.round((then - (typeof now === 'number' ? now : now.getTime())) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return 'just now';
  for (const [unit, size] of UNITS) {
    if (abs >= size || unit === 'minute') return relative.format(Math.round(seconds / size), unit);
  }
  return 'just now';
}

// toLocale*String builds a formatter on every call; a page of posts formats dozens of dates.
const dayMonthYear = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const hourMinute = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });
const grouped = new Intl.NumberFormat('en-US');

/** "23 Nov 2026" — for titles and "member since". Always UTC so server and browser agree. */
export function formatDate(date: string | Date): string {
  const d = typeof date === 'string' ? new Date(date) : date;
  if (Number.isNaN(d.getTime())) return '';
  return dayMonthYear.format(d);
}

/** Full timestamp for a tooltip: "23 Nov 2026, 14:05 UTC". */
export function formatDateTime(date: string | Date): string {
  const d = typeof date === 'string' ? new Date(date) : date;
  if (Number.isNaN(d.getTime())) return '';
  return `${dayMonthYear.format(d)}, ${hourMinute.format(d)} UTC`;
}

/** "1 reply", "2 replies", "1,204 members". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${grouped.format(count)} ${count === 1 ? one : many}`;
}

/**
 * Tags typed as "ipa, Hops  ,#brewing, hops" → ["ipa", "hops", "brewing"]: trimmed, lower-cased,
 * spaces become dashes, a leading '#' is dropped, duplicates and empties removed, order kept.
 */
export function parseTags(input: string | null | undefined): string[] {
  if (!input) return [];
  const seen = new Set<string>();
  for (const raw of input.split(/[,\n]/)) {
    const tag = raw.trim().replace(/^#+/, '').trim().toLowerCase().replace(/\s+/g, '-');
    if (tag) seen.add(tag);
  }
  return [...seen];
}

/** "How long should I age a Barleywine?" → "how-long-should-i-age-a-barleywine" (URL decoration only). */
export function slugify(title: string, max = 60): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length <= max) return slug;
  const cut = slug.slice(0, max);
  const lastDash = cut.lastIndexOf('-');
  return (lastDash > max / 2 ? cut.slice(0, lastDash) : cut).replace(/-+$/g, '');
}

/** The canonical path of a thread: /t/42/how-long-should-i-age-a-barleywine */
export function threadPath(thread: { id: number; title: string }): string {
  const slug = slugify(thread.title);
  return slug ? `/t/${thread.id}/${slug}` : `/t/${thread.id}`;
}

export interface ProblemLike {
  title?: string;
  detail?: string;
  status?: number;
  code?: string;
  errors?: Record<string, string>;
}

/** How the API names a field → the form field it belongs to. */
const FIELD_ALIASES: Record<string, string> = { login: 'login', '(root)': '' };

/**
 * The API's problem `errors` ({ "tags.1": "must match pattern", title: "needs at least 8 characters" })
 * → messages per form field ({ tags: "Tags must use only the allowed characters", title: "Title needs at least 8 characters" }).
 * Nested paths collapse to their first segment; the first message per field wins; `(root)` is dropped.
 */
export function problemToFieldErrors(problem: ProblemLike | null | undefined, labels: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  if (!problem?.errors) return out;
  for (const [path, message] of Object.entries(problem.errors)) {
    const head = path.split('.')[0] ?? path;
    const field = head in FIELD_ALIASES ? FIELD_ALIASES[head]! : head;
    if (!field || field in out) continue;
    const label = labels[field] ?? humanize(field);
    out[field] = sentence(message, label);
  }
  return out;
}

/** The message for the whole form: the problem's detail, else its title, else a generic line. */
export function problemMessage(problem: ProblemLike | null | undefined, fallback = 'Something went wrong. Please try again.'): string {
  return problem?.detail || problem?.title || fallback;
}

function humanize(field: string): string {
  const words = field
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** "must NOT have fewer than 8 characters" + "Title" → "Title must not have fewer than 8 characters". */
function sentence(message: string, label: string): string {
  const text = message
    .replace(/\bNOT\b/g, 'not')
    .replace(/^must not have fewer than (\d+) characters?$/, 'must be at least $1 characters')
    .replace(/^must not have more than (\d+) characters?$/, 'must be at most $1 characters')
    .replace(/^must not have more than (\d+) items?$/, 'can have at most $1')
    .replace(/^must match format "email"$/, 'must be a valid email address')
    .replace(/^must match pattern ".*"$/, 'must use only the allowed characters')
    .trim();
  if (!text) return `${label} is not valid`;
  if (/^[A-Z]/.test(text) && !/^[A-Z]{2}/.test(text)) return text;
  return `${label} ${text}`;
}

/**
 * Where to go after signing in: only same-site paths ("/t/4"), never "//evil.example" or "https://…".
 */
export function safeNext(next: string | null | undefined, fallback = '/'): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  if ([...next].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f)) return fallback;
  return next;
}

/** Initials for an avatar: "Ada Lovelace" → "AL", "brewer_42" → "BR". */
export function initials(name: string): string {
  const words = name
    .trim()
    .split(/[\s_.-]+/)
    .filter(Boolean);
  if (words.length === 0) return '?';
  if (words.length === 1) return words[0]!.slice(0, 2).toUpperCase();
  return (words[0]!.charAt(0) + words[1]!.charAt(0)).toUpperCase();
}

/** A stable hue (0–359) for a name, so each person's avatar keeps its colour. */
export function hueFor(name: string): number {
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + ch.codePointAt(0)!) >>> 0;
  return hash % 360;
}
