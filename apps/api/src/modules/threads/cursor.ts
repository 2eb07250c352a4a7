import { AppError, INT4_MAX, INT4_MIN } from '@praxis/contracts';

/** Opaque keyset cursors: base64url JSON of the sort key of the last item returned. */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

const invalidCursor = () =>
  new AppError('VALIDATION_FAILED', 'The cursor is not valid; start again from the first page', { cursor: 'is not valid' });

// What encodeCursor writes: Date#toISOString() timestamps and int4 numbers (ids, scores, ranks); anything else would reach SQL as a cast that fails.
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z$/;
const isTimestamp = (v: unknown) => typeof v === 'string' && ISO_TIMESTAMP.test(v) && !Number.isNaN(Date.parse(v));
const isInt4 = (v: unknown) => Number.isInteger(v) && (v as number) >= INT4_MIN && (v as number) <= INT4_MAX;

/** The key of a cursor, each part checked against its shape: 'string' parts are ISO timestamps, 'number' parts int4 integers. */
export function decodeCursor(cursor: string | undefined, shape: readonly ('string' | 'number')[]): (string | number)[] | null {
  if (cursor === undefined) return null;
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === shape.length && key.every((v, i) => (shape[i] === 'string' ? isTimestamp(v) : isInt4(v))))
      return key as (string | number)[];
  } catch {
    // fall through to the error below
  }
  throw invalidCursor();
}

/** A plain-id cursor ("the last id you saw"), or null when absent; an id beyond the database's range is refused, not queried. */
export function decodeIdCursor(cursor: string | undefined): number | null {
  if (cursor === undefined || cursor === '') return null;
  const id = /^\d{1,10}$/.test(cursor) ? Number(cursor) : NaN;
  if (!isInt4(id)) throw invalidCursor();
  return id;
}
