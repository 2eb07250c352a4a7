import { resolve } from 'node:path';

/** Everything Praxis reads from the environment, parsed once, with the defaults of the embedded mode. */
export interface Config {
  port: number;
  host: string;
  /** The origin browsers use; cookie-authenticated writes must come from it. */
  publicOrigin: string;
  databaseUrl: string | undefined;
  dataDir: string;
  redisUrl: string | undefined;
  meiliUrl: string | undefined;
  meiliMasterKey: string | undefined;
  /** smtp:// or smtps:// URL; without it, mail is written as .eml files under DATA_DIR/mail. */
  smtpUrl: string | undefined;
  mailFrom: string;
  /** Notifications are emailed right away to people not seen for this long (if they want email). */
  emailAwayMinutes: number;
  /** How often the worker looks for matched questions whose round ran out unanswered. */
  escalationSweepSeconds: number;
  logLevel: string;
  sessionTtlDays: number;
  authRateLimit: { max: number; windowMs: number };
  writeRateLimit: { max: number; windowMs: number };
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  seedDemo: boolean;
  secureCookies: boolean;
}

export class ConfigError extends Error {}

function integer(env: NodeJS.ProcessEnv, key: string, fallback: number, min = 0): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new ConfigError(`${key} must be an integer ≥ ${min}, got "${raw}"`);
  return value;
}

function flag(env: NodeJS.ProcessEnv, key: string, fallback: boolean): boolean {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(`${key} must be true or false, got "${raw}"`);
}

function origin(raw: string, key: string): string {
  try {
    return new URL(raw).origin;
  } catch {
    throw new ConfigError(`${key} must be a URL such as http://localhost:3000, got "${raw}"`);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = integer(env, 'PORT', 3000, 0);
  const publicOrigin = origin(env.PUBLIC_ORIGIN || `http://localhost:${port}`, 'PUBLIC_ORIGIN');
  if ((env.ADMIN_EMAIL && !env.ADMIN_PASSWORD) || (!env.ADMIN_EMAIL && env.ADMIN_PASSWORD)) {
    throw new ConfigError('Set both ADMIN_EMAIL and ADMIN_PASSWORD, or neither');
  }
  if (env.ADMIN_PASSWORD && env.ADMIN_PASSWORD.length < 10) throw new ConfigError('ADMIN_PASSWORD must be at least 10 characters');
  return {
    port,
    host: env.HOST || '0.0.0.0',
    publicOrigin,
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.DATA_DIR || '.data'),
    redisUrl: env.REDIS_URL || undefined,
    meiliUrl: env.MEILI_URL || undefined,
    meiliMasterKey: env.MEILI_MASTER_KEY || undefined,
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM || `Praxis <no-reply@${new URL(publicOrigin).hostname}>`,
    emailAwayMinutes: integer(env, 'EMAIL_AWAY_MINUTES', 10, 0),
    escalationSweepSeconds: integer(env, 'MATCH_ESCALATION_SWEEP_SECONDS', 30, 1),
    logLevel: env.LOG_LEVEL || 'info',
    sessionTtlDays: integer(env, 'SESSION_TTL_DAYS', 30, 1),
    authRateLimit: { max: integer(env, 'AUTH_RATE_LIMIT', 10, 1), windowMs: 60_000 },
    writeRateLimit: { max: integer(env, 'WRITE_RATE_LIMIT', 60, 1), windowMs: 60_000 },
    adminEmail: env.ADMIN_EMAIL || undefined,
    adminPassword: env.ADMIN_PASSWORD || undefined,
    seedDemo: flag(env, 'SEED_DEMO', true),
    secureCookies: publicOrigin.startsWith('https:'),
  };
}
