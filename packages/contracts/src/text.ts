import { Type, type TStringOptions } from 'typebox';

/** PostgreSQL's integer column range: every id, count and revision the API takes lies within it. */
export const INT4_MAX = 2_147_483_647;
export const INT4_MIN = -2_147_483_648;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Why PostgreSQL could not store this text, or null: text columns refuse NUL, and jsonb (the outbox,
 * the audit log) refuses unpaired UTF-16 surrogates, which no real text contains.
 */
export function unstorableText(value: string): string | null {
  if (value.includes('\u0000')) return 'must not contain NUL characters';
  if (LONE_SURROGATE.test(value)) return 'contains an invalid character (an unpaired UTF-16 surrogate)';
  return null;
}

/** No control characters (C0, DEL, C1), so no CR or LF: for titles and names shown on one line. */
export const SINGLE_LINE_PATTERN = '^[^\\u0000-\\u001F\\u007F-\\u009F]*$';

/** A title or name: one line of text without control characters. */
export const SingleLine = (options: TStringOptions = {}) => Type.String({ ...options, pattern: SINGLE_LINE_PATTERN });
