/** Pure parsing of Set-Cookie headers (no SvelteKit imports, so it is unit-testable). */

export interface ParsedCookie {
  name: string;
  value: string;
  expires?: Date;
  maxAge?: number;
}

/** Parses one Set-Cookie header: name, value and the expiry attributes (the rest we set ourselves). */
export function parseSetCookie(header: string): ParsedCookie | null {
  const [pair, ...attributes] = header.split(';');
  const eq = pair?.indexOf('=') ?? -1;
  if (!pair || eq < 1) return null;
  const result: ParsedCookie = { name: pair.slice(0, eq).trim(), value: decodeURIComponent(pair.slice(eq + 1).trim()) };
  for (const attribute of attributes) {
    const [key = '', ...rest] = attribute.split('=');
    const value = rest.join('=').trim();
    switch (key.trim().toLowerCase()) {
      case 'expires': {
        const date = new Date(value);
        if (!Number.isNaN(date.getTime())) result.expires = date;
        break;
      }
      case 'max-age': {
        const seconds = Number(value);
        if (Number.isFinite(seconds)) result.maxAge = seconds;
        break;
      }
    }
  }
  return result;
}
