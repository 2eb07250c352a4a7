import { describe, expect, it } from 'vitest';
import { parseSetCookie } from './set-cookie';

describe('parseSetCookie', () => {
  it('reads the name, value and expiry of the API session cookie', () => {
    const parsed = parseSetCookie('praxis_session=abc.DEF-123; Path=/; Expires=Mon, 23 Nov 2026 12:00:00 GMT; HttpOnly; SameSite=Lax');
    expect(parsed).toEqual({ name: 'praxis_session', value: 'abc.DEF-123', expires: new Date('2026-11-23T12:00:00Z') });
  });

  it('reads Max-Age and decodes the value', () => {
    expect(parseSetCookie('praxis_session=a%2Bb; Max-Age=3600')).toEqual({ name: 'praxis_session', value: 'a+b', maxAge: 3600 });
  });

  it('keeps "=" inside values and reports cleared cookies as empty', () => {
    expect(parseSetCookie('t=x=y==; Path=/')?.value).toBe('x=y==');
    expect(parseSetCookie('praxis_session=; Max-Age=0; Path=/')).toEqual({ name: 'praxis_session', value: '', maxAge: 0 });
  });

  it('rejects headers without a name', () => {
    expect(parseSetCookie('=oops')).toBeNull();
    expect(parseSetCookie('')).toBeNull();
  });

  it('ignores an unparseable Expires', () => {
    expect(parseSetCookie('s=1; Expires=someday')).toEqual({ name: 's', value: '1' });
  });
});
