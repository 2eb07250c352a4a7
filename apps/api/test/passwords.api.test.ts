import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, users } from '@praxis/db';
import { buildTestApp, expectProblem, ORIGIN, type TestApp } from './helper.js';

// Issue 10, finding 3: guessable passwords are refused at sign-up, with the reason the form shows next to the password field.

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const register = (username: string, password: string, email = `${username}@example.test`) =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/register', headers: { origin: ORIGIN }, payload: { username, email, password } });
const userCount = async () => (await t.database.db.select({ n: sql<number>`count(*)::int` }).from(users))[0]!.n;

describe('sign-up refuses guessable passwords with a reason', () => {
  it.each([
    ['password12', /commonly used password/i],
    ['aaaaaaaaaa', /repeated/i],
    ['1234567890', /frequently used/i],
    ['          ', /spaces/i],
    ['qwertyuiop', /./],
  ])('%j', async (password, reason) => {
    const before = await userCount();
    const body = expectProblem(await register('weakling', password), 400, 'VALIDATION_FAILED');
    expect(body.errors).toEqual({ password: expect.stringMatching(reason) });
    expect(body.detail).toBe((body.errors as Record<string, string>).password);
    expect(await userCount()).toBe(before);
  });

  it('the username itself, or the username with digits', async () => {
    for (const password of ['maltster_ninety', 'maltster_ninety1', 'MALTSTER_NINETY!']) {
      const body = expectProblem(await register('maltster_ninety', password), 400, 'VALIDATION_FAILED');
      expect((body.errors as Record<string, string>).password).toMatch(/username/);
    }
  });

  it('the email address, or its name part', async () => {
    for (const password of ['brewmaster.jones@example.test', 'brewmasterjones9']) {
      expectProblem(await register('someone_else', password, 'brewmaster.jones@example.test'), 400, 'VALIDATION_FAILED');
    }
  });

  it('a passphrase is accepted, and so is the password every test user has', async () => {
    expect((await register('strongling', 'barley wine at dusk')).statusCode).toBe(201);
    expect((await register('helperlike', 'correct horse battery')).statusCode).toBe(201);
  });
});
