import { AppError } from '@praxis/contracts';

/** Opaque keyset cursors: base64url JSON of the sort key of the last item returned. */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, shape: readonly ('string' | 'number')[]): (string | number)[] | null {
  if (cursor === undefined) return null;
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === shape.length && key.every((v, i) => typeof v === shape[i])) return key as (string | number)[];
  } catch {
    // fall through to the error below
  }
  throw new AppError('VALIDATION_FAILED', 'The cursor is not valid; start again from the first page', { cursor: 'is not valid' });
}
