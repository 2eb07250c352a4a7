import type { EmailMuteKind, NotificationKind } from '@praxis/contracts';

/** What a template renders; `headers` go onto the message as they are. */
export interface EmailContent {
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
}

/** A notification kind, or the daily digest: what one unsubscribe link turns off. */
export type UnsubscribeKind = EmailMuteKind;

export interface CommunityLabel {
  name: string;
  slug: string;
}

export interface NotificationEmailInput {
  recipient: { displayName: string };
  kind: NotificationKind;
  /** Null when the acting account was deleted. */
  actor: { displayName: string; username: string } | null;
  thread: { id: number; title: string };
  community: CommunityLabel;
  /** Plain text, not HTML. */
  excerpt: string;
  /** Why the recipient was asked (an expert match), most telling first. */
  reasons?: readonly string[];
  publicOrigin: string;
  unsubscribeUrl: string;
}

export interface DigestThread {
  id: number;
  title: string;
  replyCount: number;
  status: 'open' | 'solved' | 'locked';
}

export interface DigestEmailInput {
  recipient: { displayName: string };
  items: { community: CommunityLabel; threads: DigestThread[] }[];
  publicOrigin: string;
  unsubscribeUrl: string;
}

// ---- Helpers ----------------------------------------------------------------

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** For text nodes and quoted attribute values alike. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch);
}

const escapeLines = (value: string): string => escapeHtml(value).replace(/\r?\n/g, '<br>\n');

const link = (href: string, label: string): string => `<a href="${escapeHtml(href)}">${escapeHtml(label)}</a>`;

/** A title with a newline must not break the Subject header or the layout. */
const oneLine = (value: string): string => value.replace(/\s+/g, ' ').trim();

const withPath = (origin: string, path: string): string => `${origin.replace(/\/+$/, '')}${path}`;

const threadUrl = (origin: string, threadId: number): string => withPath(origin, `/t/${threadId}`);
const communityUrl = (origin: string, slug: string): string => withPath(origin, `/c/${encodeURIComponent(slug)}`);
const settingsUrl = (origin: string): string => withPath(origin, '/settings/notifications');

export function unsubscribeUrl(publicOrigin: string, emailToken: string, kind: UnsubscribeKind): string {
  const query = new URLSearchParams({ token: emailToken, kind });
  return withPath(publicOrigin, `/api/v1/email/unsubscribe?${query.toString()}`);
}

// RFC 8058 one-click: the API's POST /api/v1/email/unsubscribe unsubscribes without a session.
const unsubscribeHeaders = (url: string): Record<string, string> => ({
  'List-Unsubscribe': `<${url}>`,
  'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
});

const quoteText = (value: string): string =>
  value
    .split(/\r?\n/)
    .map((line) => `> ${line}`.trimEnd())
    .join('\n');

function htmlDocument(subject: string, body: string[]): string {
  return [
    '<!doctype html>',
    '<html><head><meta charset="utf-8">',
    `<title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family: sans-serif; line-height: 1.5; color: #222;">',
    ...body,
    '</body></html>',
    '',
  ].join('\n');
}

const htmlFooter = (parts: string[]): string => `<hr>\n<p style="font-size: 12px; color: #666;">${parts.join(' · ')}</p>`;

// ---- One notification -------------------------------------------------------

/** `who` and `title` arrive already made safe for the output they go into. */
type Phrase = (who: string, title: string) => string;

const PHRASES: Record<NotificationKind, Phrase> = {
  reply_to_thread: (who, title) => `${who} replied to "${title}"`,
  reply_to_post: (who, title) => `${who} replied to your post in "${title}"`,
  mention: (who, title) => `${who} mentioned you in "${title}"`,
  thread_solved: (who, title) => `${who} accepted an answer in "${title}"`,
  watched_thread_created: (who, title) => `${who} started "${title}"`,
  watched_thread_reply: (who, title) => `${who} replied to "${title}"`,
  expert_match: (who, title) => `${who} asked a question you may know about: "${title}"`,
  expert_escalation: (_who, title) => `Nobody has answered "${title}" yet`,
  guide_review: (_who, title) => `Please verify or update the guide "${title}"`,
  guide_credited: (_who, title) => `Your answer is credited in the guide "${title}"`,
  moderation_notice: (_who, title) => `A moderator acted on your post in "${title}"`,
};

const WHY: Record<NotificationKind, string> = {
  reply_to_thread: 'you started this thread',
  reply_to_post: 'someone replied to your post',
  mention: 'someone mentioned you',
  thread_solved: 'you answered or watch this thread',
  watched_thread_created: 'you watch this community or one of its tags',
  watched_thread_reply: 'you watch this thread',
  expert_match: 'Praxis matched you as someone likely to know the answer',
  expert_escalation: 'you lead this community and its matched experts have not answered',
  guide_review: 'you own this guide',
  guide_credited: 'a guide credits your answer',
  moderation_notice: 'you wrote the post',
};

const actorName = (actor: NotificationEmailInput['actor']): string => (actor ? oneLine(actor.displayName) : 'Someone');

const actorLong = (actor: NotificationEmailInput['actor']): string =>
  actor ? `${oneLine(actor.displayName)} (@${actor.username})` : 'Someone';

function notificationSubject(input: NotificationEmailInput): string {
  const phrase = PHRASES[input.kind](actorName(input.actor), oneLine(input.thread.title));
  return `[${oneLine(input.community.name)}] ${phrase}`;
}

function notificationText(input: NotificationEmailInput): string {
  const { publicOrigin: origin } = input;
  const lead = PHRASES[input.kind](actorLong(input.actor), oneLine(input.thread.title));
  return [
    `Hi ${oneLine(input.recipient.displayName)},`,
    '',
    `${lead} in ${oneLine(input.community.name)}:`,
    '',
    quoteText(input.excerpt),
    '',
    ...(input.reasons?.length ? ['Why you:', ...input.reasons.map((r) => `- ${oneLine(r)}`), ''] : []),
    `View the thread: ${threadUrl(origin, input.thread.id)}`,
    '',
    '-- ',
    `You received this because ${WHY[input.kind]}.`,
    `Unsubscribe from these emails: ${input.unsubscribeUrl}`,
    `Notification settings: ${settingsUrl(origin)}`,
    '',
  ].join('\n');
}

function notificationHtml(input: NotificationEmailInput, subject: string): string {
  const { publicOrigin: origin } = input;
  const lead = PHRASES[input.kind](escapeHtml(actorLong(input.actor)), escapeHtml(oneLine(input.thread.title)));
  return htmlDocument(subject, [
    `<p>Hi ${escapeHtml(oneLine(input.recipient.displayName))},</p>`,
    `<p>${lead} in ${escapeHtml(oneLine(input.community.name))}:</p>`,
    `<blockquote style="margin: 0 0 1em; padding-left: 1em; border-left: 3px solid #ccc;">${escapeLines(input.excerpt)}</blockquote>`,
    ...(input.reasons?.length
      ? [`<p><strong>Why you:</strong></p><ul>${input.reasons.map((r) => `<li>${escapeHtml(oneLine(r))}</li>`).join('')}</ul>`]
      : []),
    `<p>${link(threadUrl(origin, input.thread.id), 'View the thread')}</p>`,
    htmlFooter([
      `You received this because ${escapeHtml(WHY[input.kind])}.`,
      link(input.unsubscribeUrl, 'Unsubscribe from these emails'),
      link(settingsUrl(origin), 'Notification settings'),
    ]),
  ]);
}

export function notificationEmail(input: NotificationEmailInput): EmailContent {
  const subject = notificationSubject(input);
  return {
    subject,
    text: notificationText(input),
    html: notificationHtml(input, subject),
    headers: unsubscribeHeaders(input.unsubscribeUrl),
  };
}

// ---- Daily digest -----------------------------------------------------------

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

const STATUS_LABEL: Record<DigestThread['status'], string> = { open: '', solved: ' [solved]', locked: ' [locked]' };

const threadSummary = (t: DigestThread): string =>
  `${oneLine(t.title)}${STATUS_LABEL[t.status]} (${plural(t.replyCount, 'reply', 'replies')})`;

function digestSubject(input: DigestEmailInput): string {
  const threads = input.items.reduce((sum, item) => sum + item.threads.length, 0);
  const communities = plural(input.items.length, 'community', 'communities');
  return `Your daily digest: ${plural(threads, 'thread', 'threads')} in ${communities}`;
}

function digestText(input: DigestEmailInput): string {
  const { publicOrigin: origin } = input;
  const sections = input.items.flatMap(({ community, threads }) => [
    `${oneLine(community.name)} (${communityUrl(origin, community.slug)})`,
    ...threads.flatMap((t) => [`  - ${threadSummary(t)}`, `    ${threadUrl(origin, t.id)}`]),
    '',
  ]);
  return [
    `Hi ${oneLine(input.recipient.displayName)},`,
    '',
    'Here is what happened in your communities since the last digest.',
    '',
    ...sections,
    '-- ',
    `Unsubscribe from the daily digest: ${input.unsubscribeUrl}`,
    `Notification settings: ${settingsUrl(origin)}`,
    '',
  ].join('\n');
}

function digestHtml(input: DigestEmailInput, subject: string): string {
  const { publicOrigin: origin } = input;
  const sections = input.items.flatMap(({ community, threads }) => [
    `<h2 style="font-size: 16px;">${link(communityUrl(origin, community.slug), oneLine(community.name))}</h2>`,
    '<ul>',
    ...threads.map((t) => `<li>${link(threadUrl(origin, t.id), threadSummary(t))}</li>`),
    '</ul>',
  ]);
  return htmlDocument(subject, [
    `<p>Hi ${escapeHtml(oneLine(input.recipient.displayName))},</p>`,
    '<p>Here is what happened in your communities since the last digest.</p>',
    ...sections,
    htmlFooter([link(input.unsubscribeUrl, 'Unsubscribe from the daily digest'), link(settingsUrl(origin), 'Notification settings')]),
  ]);
}

export function digestEmail(input: DigestEmailInput): EmailContent {
  const subject = digestSubject(input);
  return {
    subject,
    text: digestText(input),
    html: digestHtml(input, subject),
    headers: unsubscribeHeaders(input.unsubscribeUrl),
  };
}
