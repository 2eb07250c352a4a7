import { AppError, type RegisterBody } from '@praxis/contracts';

// Loaded on the first sign-up, not at start: its dictionaries take a second or two to build.
let checker: Promise<typeof import('@praxis/domain/password')> | undefined;

/** Refuses a guessable password (common, repetitive, or made from the account's own names) with the reason, for the form's password field. */
export async function ensureStrongPassword(input: Pick<RegisterBody, 'username' | 'email' | 'password' | 'displayName'>): Promise<void> {
  checker ??= import('@praxis/domain/password');
  const weakness = (await checker).passwordWeakness(input.password, {
    username: input.username,
    email: input.email,
    displayName: input.displayName,
  });
  if (weakness) throw new AppError('VALIDATION_FAILED', weakness, { password: weakness });
}
