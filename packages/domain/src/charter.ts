import { diffLines } from 'diff';

export interface DiffPart {
  value: string;
  added: boolean;
  removed: boolean;
}

/** A line diff between two versions of a charter: unchanged, removed and added runs, in order. */
export function diffCharter(from: string, to: string): DiffPart[] {
  const withNewline = (s: string) => (s === '' || s.endsWith('\n') ? s : `${s}\n`);
  return diffLines(withNewline(from), withNewline(to)).map((c) => ({
    value: c.value,
    added: c.added === true,
    removed: c.removed === true,
  }));
}
