import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary as commonDictionary } from '@zxcvbn-ts/language-common';
import { dictionary as englishDictionary, translations } from '@zxcvbn-ts/language-en';

/**
 * Password strength, offline: zxcvbn-ts with its common-password and English dictionaries. Its own
 * entry point (`@praxis/domain/password`), because building the dictionaries takes a second or two and
 * most users of the domain package never check a password.
 */

/** zxcvbn's scale: 0–2 fall to an offline attack on a fast hash within days; 3 needs ~10^8+ guesses, 4 ~10^10+. */
export const MIN_PASSWORD_SCORE = 3;

export interface PasswordOwner {
  username?: string | undefined;
  email?: string | undefined;
  displayName?: string | undefined;
}

let estimator: ZxcvbnFactory | undefined;
const zxcvbn = () =>
  (estimator ??= new ZxcvbnFactory({ dictionary: { ...commonDictionary, ...englishDictionary }, graphs: adjacencyGraphs, translations }));

/** Builds the dictionaries now, so the first sign-up does not wait for them. */
export function warmPasswordEstimator(): void {
  zxcvbn();
}

const letters = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

const distinct = (words: string[]) => [...new Set(words.map(letters).filter((w) => w.length >= 3))];

/** What an account is known by, that its password must not be made of: the username and the parts of the email address. */
function accountWords(owner: PasswordOwner): string[] {
  const [local = '', domain = ''] = (owner.email ?? '').toLowerCase().split('@');
  return distinct([owner.username ?? '', local, domain.split('.')[0] ?? '']);
}

/**
 * Why this password would be refused, in a sentence a person can act on, or null when it is strong
 * enough. Refuses passwords made of one repeated character or mostly of the username or email, and
 * anything zxcvbn scores below MIN_PASSWORD_SCORE (common passwords, sequences, keyboard walks, dates).
 */
export function passwordWeakness(password: string, owner: PasswordOwner = {}): string | null {
  if (password.trim() === '') return 'Your password cannot be only spaces.';
  if (new Set(password).size === 1) return 'Your password cannot be one character repeated.';
  const words = accountWords(owner);
  const bare = letters(password);
  if (words.some((w) => bare.includes(w) && w.length * 2 >= bare.length))
    return 'Your password must not be built from your username or email address.';
  // The display name counts too, as words an attacker would try first; a passphrase that merely contains it can still pass.
  const result = zxcvbn().check(password, [...words, ...distinct((owner.displayName ?? '').split(/\s+/))]);
  if (result.score >= MIN_PASSWORD_SCORE) return null;
  const warning = result.feedback.warning ?? 'This password is easy to guess.';
  const advice = result.feedback.suggestions.length > 0 ? result.feedback.suggestions.join(' ') : 'Add more words that are less common.';
  return `${warning} ${advice}`;
}
