import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileMailer, createMailer, createSmtpMailer, emlFileName, type MailMessage } from './mailer.js';
import { notificationEmail, unsubscribeUrl } from './templates.js';

const FROM = 'Praxis <noreply@praxis.test>';
const MESSAGE: MailMessage = {
  to: 'ada@example.org',
  subject: '[Rust] Bob replied to "Lifetimes"',
  text: 'Plain body: see https://forum.test/t/1',
  html: '<p>HTML body: <a href="https://forum.test/t/1">thread</a></p>',
  headers: { 'List-Unsubscribe': '<https://forum.test/api/v1/email/unsubscribe?token=t&kind=mention>' },
};

// ---- A tiny .eml reader, enough to check what we wrote -----------------------

interface Part {
  headers: Map<string, string>;
  body: string;
}

function parsePart(raw: string): Part {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).trim().toLowerCase(), decodeWords(line.slice(colon + 1).trim()));
  }
  return { headers, body: raw.slice(split + 4) };
}

/** Quoted-printable to UTF-8, decoding the escaped bytes together so multi-byte characters survive. */
function decodeQuotedPrintable(body: string): string {
  const bytes: number[] = [];
  const flat = body.replace(/=\r\n/g, '');
  for (let i = 0; i < flat.length; i++) {
    const hex = flat[i] === '=' ? /^[0-9A-F]{2}/.exec(flat.slice(i + 1, i + 3)) : null;
    if (hex) {
      bytes.push(parseInt(hex[0], 16));
      i += 2;
    } else bytes.push(...Buffer.from(flat[i] ?? '', 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** RFC 2047 encoded words ("=?UTF-8?Q?...?="), which nodemailer uses for some header values. */
function decodeWords(value: string): string {
  return value
    .replace(/(\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?[^?]+\?([QB])\?([^?]*)\?=/gi, (_m, encoding: string, text: string) =>
      encoding.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : decodeQuotedPrintable(text.replace(/_/g, ' ')),
    );
}

function decodeBody(part: Part): string {
  const encoding = part.headers.get('content-transfer-encoding') ?? '7bit';
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(part.body);
  if (encoding === 'base64') return Buffer.from(part.body, 'base64').toString('utf8');
  return part.body;
}

function alternatives(message: Part): Part[] {
  const boundary = /boundary="?([^";]+)"?/.exec(message.headers.get('content-type') ?? '')?.[1];
  if (!boundary) throw new Error('not a multipart message');
  return message.body
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((chunk) => parsePart(chunk.replace(/^\r\n/, '')));
}

// ---- File mailer -------------------------------------------------------------

describe('createFileMailer', () => {
  let dir: string;
  beforeEach(async () => {
    dir = join(await mkdtemp(join(tmpdir(), 'praxis-mail-')), 'mail');
  });
  afterEach(async () => {
    await rm(join(dir, '..'), { recursive: true, force: true });
  });

  it('writes one parseable .eml per message, creating the directory', async () => {
    const mailer = createFileMailer({ dir, from: FROM, now: () => new Date('2026-11-23T10:20:30.456Z') });
    const { id } = await mailer.send(MESSAGE);
    await mailer.close();

    const files = await readdir(dir);
    expect(files).toEqual([emlFileName(new Date('2026-11-23T10:20:30.456Z'), id)]);
    expect(files[0]).toMatch(/^2026-11-23T10-20-30\.456Z-[A-Za-z0-9._-]+\.eml$/);

    const raw = await readFile(join(dir, files[0] ?? ''), 'utf8');
    expect(raw).toContain('\r\n');
    const message = parsePart(raw);
    expect(message.headers.get('to')).toBe(MESSAGE.to);
    expect(message.headers.get('from')).toBe(FROM);
    expect(message.headers.get('subject')).toBe(MESSAGE.subject);
    expect(message.headers.get('list-unsubscribe')).toBe(MESSAGE.headers?.['List-Unsubscribe']);
    expect(message.headers.get('message-id')).toBe(id);

    const parts = alternatives(message);
    const text = parts.find((p) => p.headers.get('content-type')?.startsWith('text/plain'));
    const html = parts.find((p) => p.headers.get('content-type')?.startsWith('text/html'));
    expect(text && decodeBody(text).trim()).toBe(MESSAGE.text);
    expect(html && decodeBody(html).trim()).toBe(MESSAGE.html);
  });

  it('leaves no temp files behind and keeps messages apart', async () => {
    const mailer = createFileMailer({ dir, from: FROM, now: () => new Date('2026-11-23T10:20:30.456Z') });
    const sent = await Promise.all([mailer.send(MESSAGE), mailer.send({ ...MESSAGE, to: 'bob@example.org' })]);
    const files = await readdir(dir);
    expect(files).toHaveLength(2);
    expect(files.every((f) => f.endsWith('.eml') && !f.startsWith('.'))).toBe(true);
    expect(new Set(sent.map((s) => s.id)).size).toBe(2);
  });

  it('round-trips a rendered notification, non-ASCII included', async () => {
    const content = notificationEmail({
      recipient: { displayName: 'Zoë' },
      kind: 'mention',
      actor: { displayName: 'Björn', username: 'bjorn' },
      thread: { id: 7, title: 'Café <script>' },
      community: { name: 'Rust', slug: 'rust' },
      excerpt: 'Grüße',
      publicOrigin: 'https://forum.test',
      unsubscribeUrl: unsubscribeUrl('https://forum.test', 'tok', 'mention'),
    });
    const mailer = createFileMailer({ dir, from: FROM });
    await mailer.send({ to: 'zoe@example.org', ...content });
    const [file] = await readdir(dir);
    const message = parsePart(await readFile(join(dir, file ?? ''), 'utf8'));
    expect(message.headers.get('subject')).toBe('[Rust] Björn mentioned you in "Café <script>"');
    expect(message.headers.get('list-unsubscribe')).toBe(content.headers['List-Unsubscribe']);
    const [text, html] = alternatives(message).map(decodeBody);
    expect(text).toContain('Grüße');
    expect(html).toContain('Café &lt;script&gt;');
  });

  it('is what createMailer picks without an SMTP URL, under <dataDir>/mail', async () => {
    const mailer = createMailer({ dataDir: join(dir, '..'), from: FROM });
    await mailer.send(MESSAGE);
    expect(await readdir(dir)).toHaveLength(1);
  });
});

// ---- SMTP mailer against a minimal in-process SMTP server -------------------

interface Received {
  commands: string[];
  data: string[];
}

/** Speaks just enough SMTP (no TLS, no auth, no pipelining) for one client at a time. */
function startSmtpServer(): Promise<{ server: Server; port: number; received: Received }> {
  const received: Received = { commands: [], data: [] };
  const server = createServer((socket) => serveSmtp(socket, received));
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as AddressInfo).port, received }));
  });
}

function serveSmtp(socket: Socket, received: Received): void {
  let buffer = '';
  let inData = false;
  const reply = (line: string) => socket.write(`${line}\r\n`);
  reply('220 localhost test SMTP');
  socket.on('data', (chunk) => {
    buffer += chunk.toString('utf8');
    for (;;) {
      if (inData) {
        const end = buffer.indexOf('\r\n.\r\n');
        if (end === -1) return;
        received.data.push(buffer.slice(0, end));
        buffer = buffer.slice(end + 5);
        inData = false;
        reply('250 2.0.0 queued');
        continue;
      }
      const eol = buffer.indexOf('\r\n');
      if (eol === -1) return;
      const line = buffer.slice(0, eol);
      buffer = buffer.slice(eol + 2);
      received.commands.push(line);
      const verb = line.slice(0, 4).toUpperCase();
      if (verb === 'EHLO') reply('250 localhost');
      else if (verb === 'DATA') {
        inData = true;
        reply('354 go ahead');
      } else if (verb === 'QUIT') {
        reply('221 bye');
        socket.end();
      } else reply('250 OK');
    }
  });
}

describe('createSmtpMailer', () => {
  it('delivers the message over SMTP', async () => {
    const { server, port, received } = await startSmtpServer();
    try {
      const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${port}`, dataDir: '/nonexistent', from: FROM });
      const { id } = await mailer.send(MESSAGE);
      await mailer.close();

      expect(received.commands).toContain('MAIL FROM:<noreply@praxis.test>');
      expect(received.commands).toContain('RCPT TO:<ada@example.org>');
      expect(received.data).toHaveLength(1);
      const message = parsePart(received.data[0] ?? '');
      expect(message.headers.get('subject')).toBe(MESSAGE.subject);
      expect(message.headers.get('list-unsubscribe')).toBe(MESSAGE.headers?.['List-Unsubscribe']);
      expect(message.headers.get('message-id')).toBe(id);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it.each(['http://mail.example.org', 'mail.example.org:25', ''])('rejects %j as an SMTP URL', (smtpUrl) => {
    expect(() => createSmtpMailer({ smtpUrl, from: FROM })).toThrow(/smtp:\/\/ or smtps:\/\//);
  });
});
