import { describe, expect, it } from 'vitest';
import { passwordWeakness } from './password.js';

const owner = { username: 'ada_brewer', email: 'ada.lovelace@example.test', displayName: 'Ada Lovelace' };

describe('passwordWeakness', () => {
  it.each(['aaaaaaaaaa', '1234567890', 'password12', '          ', 'qwertyuiop', 'iloveyou123', 'Password123!', 'abcdefghijk'])(
    'refuses %j with a reason',
    (password) => {
      const reason = passwordWeakness(password, owner);
      expect(reason).toMatch(/\w+.*\./);
    },
  );

  it.each([
    'ada_brewer',
    'ada_brewer12',
    'ADA_BREWER!!',
    'adalovelace1',
    'lovelace2024',
    'ada.lovelace@example.test',
    'Ada Lovelace',
    'adalovelace!!',
  ])('refuses %j, built from the username, name or email', (password) => {
    expect(passwordWeakness(password, owner)).not.toBeNull();
  });

  it('says why in words a person can act on', () => {
    expect(passwordWeakness('password12')).toMatch(/commonly used password/i);
    expect(passwordWeakness('ada_brewer12', owner)).toBe('Your password must not be built from your username or email address.');
    expect(passwordWeakness('          ')).toBe('Your password cannot be only spaces.');
    expect(passwordWeakness('aaaaaaaaaa')).toBe('Your password cannot be one character repeated.');
  });

  it.each([
    'correct horse battery',
    'a long passphrase',
    'another long secret',
    'no scripts needed',
    'ada has a long secret',
    'Tr0ub4dor&3 staple',
    'admin-password-e2e',
  ])('accepts %j', (password) => {
    expect(passwordWeakness(password, owner)).toBeNull();
  });

  it('a name inside a long passphrase is fine; the name alone with digits is not', () => {
    expect(passwordWeakness('ada brews hoppy pale ales', owner)).toBeNull();
    expect(passwordWeakness('no scripts needed', { username: 'carol_x1', displayName: 'Carol NoScript' })).toBeNull();
    expect(passwordWeakness('ada_brewer2024', owner)).not.toBeNull();
  });
});
