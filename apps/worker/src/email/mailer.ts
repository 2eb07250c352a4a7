import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import nodemailer, { type SendMailOptions } from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  headers?: Record<string, string>;
}

export interface Mailer {
  /** Resolves with the Message-ID once the message is handed over (SMTP) or on disk (file). */
  send(message: MailMessage): Promise<{ id: string }>;
  close(): Promise<void>;
}

export interface SmtpMailerOptions {
  /** smtp://user:pass@host:587 (STARTTLS when offered) or smtps://…:465 (TLS from the start). */
  smtpUrl: string;
  from: string;
}

export interface FileMailerOptions {
  dir: string;
  from: string;
  /** Names the files; injectable so tests can pin it. */
  now?: () => Date;
}

export interface MailerOptions {
  smtpUrl?: string | undefined;
  dataDir: string;
  from: string;
}

const toMailOptions = (message: MailMessage): SendMailOptions => ({
  to: message.to,
  subject: message.subject,
  text: message.text,
  html: message.html,
  headers: message.headers ?? {},
});

function assertSmtpUrl(smtpUrl: string): void {
  const protocol = URL.canParse(smtpUrl) ? new URL(smtpUrl).protocol : '';
  if (protocol !== 'smtp:' && protocol !== 'smtps:') {
    throw new Error('The SMTP URL must start with smtp:// or smtps://');
  }
}

export function createSmtpMailer({ smtpUrl, from }: SmtpMailerOptions): Mailer {
  assertSmtpUrl(smtpUrl);
  // Bounded waits: an email attempt holds a lease (see email-notification.ts) that must outlast a send.
  const transport = nodemailer.createTransport(
    { url: smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 },
    { from },
  );
  return {
    async send(message) {
      const info = await transport.sendMail(toMailOptions(message));
      return { id: info.messageId };
    },
    async close() {
      transport.close();
    },
  };
}

/** "<abc.123@host>" → "abc.123_host": safe in any file system. */
const sanitizeMessageId = (messageId: string): string =>
  messageId
    .replace(/^<|>$/g, '')
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .slice(0, 120);

/** ISO time first so a directory listing is chronological; colons swapped for Windows' sake. */
export const emlFileName = (at: Date, messageId: string): string =>
  `${at.toISOString().replace(/:/g, '-')}-${sanitizeMessageId(messageId)}.eml`;

/** A reader never sees a half-written message: write a hidden temp file, then rename it into place. */
async function writeAtomically(path: string, data: Buffer): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomUUID()}.tmp`);
  try {
    await writeFile(temp, data, { flag: 'wx' });
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

/** The embedded mode's "outbox": every message becomes an RFC 5322 .eml file under `dir`. */
export function createFileMailer({ dir, from, now = () => new Date() }: FileMailerOptions): Mailer {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' }, { from });
  return {
    async send(message) {
      const info = await transport.sendMail(toMailOptions(message));
      if (!Buffer.isBuffer(info.message)) throw new Error('The stream transport returned a stream, not a buffer');
      await mkdir(dir, { recursive: true });
      await writeAtomically(join(dir, emlFileName(now(), info.messageId)), info.message);
      return { id: info.messageId };
    },
    async close() {
      transport.close();
    },
  };
}

/** SMTP when a URL is configured, otherwise .eml files under `<dataDir>/mail`. */
export function createMailer({ smtpUrl, dataDir, from }: MailerOptions): Mailer {
  return smtpUrl ? createSmtpMailer({ smtpUrl, from }) : createFileMailer({ dir: join(dataDir, 'mail'), from });
}
