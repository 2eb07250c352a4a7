import { randomBytes } from 'node:crypto';
import type { Config } from '@praxis/config';
import { eq, users } from '@praxis/db';
import type { Deps } from '../context.js';
import { registerUser } from '../modules/auth/commands.js';

/**
 * On a database without an admin: create the one named by ADMIN_EMAIL/ADMIN_PASSWORD, or an `admin` with a generated
 * password that is printed once. Returns what to tell the operator.
 */
export async function ensureAdmin(deps: Deps, config: Config): Promise<string | null> {
  const [existing] = await deps.db.select({ id: users.id }).from(users).where(eq(users.role, 'admin')).limit(1);
  if (existing) return null;
  if (config.adminEmail && config.adminPassword) {
    const username = config.adminEmail
      .split('@')[0]!
      .replace(/[^A-Za-z0-9_.-]/g, '')
      .slice(0, 30)
      .padEnd(3, '_');
    await registerUser(deps, { username, email: config.adminEmail, password: config.adminPassword, displayName: 'Administrator' }, 'admin');
    return `Admin account created for ${config.adminEmail} (username "${username}").`;
  }
  const password = randomBytes(12).toString('base64url');
  await registerUser(deps, { username: 'admin', email: 'admin@praxis.localhost', password, displayName: 'Administrator' }, 'admin');
  return `Admin account created — sign in as "admin" with password: ${password}\n(This password is shown only once. Set ADMIN_EMAIL and ADMIN_PASSWORD on first start to choose your own.)`;
}
