import type { NotificationKind } from '@praxis/domain';
import { describe, expect, it } from 'vitest';
import {
  digestEmail,
  escapeHtml,
  notificationEmail,
  unsubscribeUrl,
  type DigestEmailInput,
  type NotificationEmailInput,
} from './templates.js';

const ORIGIN = 'https://forum.test';
const XSS = '<script>alert("x")</script>';

function notification(overrides: Partial<NotificationEmailInput> = {}): NotificationEmailInput {
  return {
    recipient: { displayName: 'Ada' },
    kind: 'reply_to_thread',
    actor: { displayName: 'Bob Smith', username: 'bob' },
    thread: { id: 42, title: 'Borrow checker woes' },
    community: { name: 'Rust', slug: 'rust' },
    excerpt: 'Have you tried\ncloning it?',
    publicOrigin: ORIGIN,
    unsubscribeUrl: unsubscribeUrl(ORIGIN, 'tok123', 'reply_to_thread'),
    ...overrides,
  };
}

describe('unsubscribeUrl', () => {
  it.each<[string, string, NotificationKind | 'digest', string]>([
    [ORIGIN, 'abc', 'mention', `${ORIGIN}/api/v1/email/unsubscribe?token=abc&kind=mention`],
    [`${ORIGIN}/`, 'abc', 'digest', `${ORIGIN}/api/v1/email/unsubscribe?token=abc&kind=digest`],
    [ORIGIN, 'a&b=c', 'thread_solved', `${ORIGIN}/api/v1/email/unsubscribe?token=a%26b%3Dc&kind=thread_solved`],
  ])('%s + %s + %s', (origin, token, kind, expected) => {
    expect(unsubscribeUrl(origin, token, kind)).toBe(expected);
  });
});

describe('escapeHtml', () => {
  it('escapes every character that can open markup or leave an attribute', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});

describe('notificationEmail', () => {
  it.each<[NotificationKind, string]>([
    ['reply_to_thread', '[Rust] Bob Smith replied to "Borrow checker woes"'],
    ['reply_to_post', '[Rust] Bob Smith replied to your post in "Borrow checker woes"'],
    ['mention', '[Rust] Bob Smith mentioned you in "Borrow checker woes"'],
    ['thread_solved', '[Rust] Bob Smith accepted an answer in "Borrow checker woes"'],
    ['watched_thread_created', '[Rust] Bob Smith started "Borrow checker woes"'],
    ['watched_thread_reply', '[Rust] Bob Smith replied to "Borrow checker woes"'],
  ])('subject for %s', (kind, subject) => {
    expect(notificationEmail(notification({ kind })).subject).toBe(subject);
  });

  it('names a deleted actor "Someone"', () => {
    expect(notificationEmail(notification({ actor: null })).subject).toBe('[Rust] Someone replied to "Borrow checker woes"');
  });

  it('keeps the subject on one line', () => {
    const email = notificationEmail(notification({ thread: { id: 42, title: 'Line one\r\nBcc: evil@example.org' } }));
    expect(email.subject).toBe('[Rust] Bob Smith replied to "Line one Bcc: evil@example.org"');
  });

  it('links the thread, the unsubscribe URL and the settings in both bodies', () => {
    const input = notification();
    const email = notificationEmail(input);
    const escapedUnsubscribe = input.unsubscribeUrl.replace(/&/g, '&amp;');
    expect(email.text).toContain(`${ORIGIN}/t/42`);
    expect(email.text).toContain(input.unsubscribeUrl);
    expect(email.text).toContain(`${ORIGIN}/settings/notifications`);
    expect(email.text).toContain('> Have you tried\n> cloning it?');
    expect(email.html).toContain(`href="${ORIGIN}/t/42"`);
    expect(email.html).toContain(`href="${escapedUnsubscribe}"`);
    expect(email.html).toContain(`href="${ORIGIN}/settings/notifications"`);
    expect(email.html).toContain('Have you tried<br>');
  });

  it('sets List-Unsubscribe to the unsubscribe URL for this kind, with one-click POST (RFC 8058)', () => {
    const input = notification({ kind: 'mention', unsubscribeUrl: unsubscribeUrl(ORIGIN, 'tok', 'mention') });
    expect(notificationEmail(input).headers).toEqual({
      'List-Unsubscribe': `<${ORIGIN}/api/v1/email/unsubscribe?token=tok&kind=mention>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
  });

  it('escapes user text in the HTML', () => {
    const email = notificationEmail(
      notification({
        recipient: { displayName: XSS },
        actor: { displayName: XSS, username: 'x"><img src=x>' },
        thread: { id: 42, title: XSS },
        community: { name: XSS, slug: 'rust' },
        excerpt: `${XSS} & <b>bold</b>`,
      }),
    );
    expect(email.html).not.toContain('<script>');
    expect(email.html).not.toContain('<img');
    expect(email.html).not.toContain('<b>');
    expect(email.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(email.html).toContain('&amp; &lt;b&gt;bold&lt;/b&gt;');
    // The plain text part is not HTML; it carries the text as written.
    expect(email.text).toContain(XSS);
  });

  it('tells a matched expert why they were asked, escaped in the HTML', () => {
    const email = notificationEmail(notification({ kind: 'expert_match', reasons: ['answered 3 similar questions', XSS] }));
    expect(email.text).toContain('Why you:\n- answered 3 similar questions\n- <script>');
    expect(email.html).toContain('<li>answered 3 similar questions</li>');
    expect(email.html).not.toContain('<script>');
    expect(notificationEmail(notification()).text).not.toContain('Why you:');
  });
});

describe('digestEmail', () => {
  const digest: DigestEmailInput = {
    recipient: { displayName: 'Ada' },
    items: [
      {
        community: { name: 'Rust', slug: 'rust' },
        threads: [
          { id: 1, title: 'Lifetimes', replyCount: 3, status: 'solved' },
          { id: 2, title: XSS, replyCount: 1, status: 'open' },
        ],
      },
      { community: { name: 'Go & Friends', slug: 'go' }, threads: [{ id: 3, title: 'Generics', replyCount: 0, status: 'locked' }] },
    ],
    publicOrigin: ORIGIN,
    unsubscribeUrl: unsubscribeUrl(ORIGIN, 'tok', 'digest'),
  };

  it('counts threads and communities in the subject', () => {
    expect(digestEmail(digest).subject).toBe('Your daily digest: 3 threads in 2 communities');
    const single = { ...digest, items: digest.items.slice(1) };
    expect(digestEmail(single).subject).toBe('Your daily digest: 1 thread in 1 community');
  });

  it('lists every thread, with its link, in both bodies', () => {
    const email = digestEmail(digest);
    for (const id of [1, 2, 3]) {
      expect(email.text).toContain(`${ORIGIN}/t/${id}`);
      expect(email.html).toContain(`href="${ORIGIN}/t/${id}"`);
    }
    expect(email.text).toContain('Lifetimes [solved] (3 replies)');
    expect(email.text).toContain('Generics [locked] (0 replies)');
    expect(email.text).toContain(`${XSS} (1 reply)`);
    expect(email.html).toContain(`href="${ORIGIN}/c/rust"`);
    expect(email.html).toContain(`href="${ORIGIN}/c/go"`);
  });

  it('escapes user text in the HTML', () => {
    const email = digestEmail(digest);
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('&lt;script&gt;');
    expect(email.html).toContain('Go &amp; Friends');
  });

  it('carries the digest unsubscribe link and header', () => {
    const email = digestEmail(digest);
    expect(email.headers['List-Unsubscribe']).toBe(`<${ORIGIN}/api/v1/email/unsubscribe?token=tok&kind=digest>`);
    expect(email.text).toContain(digest.unsubscribeUrl);
    expect(email.html).toContain(`href="${digest.unsubscribeUrl.replace(/&/g, '&amp;')}"`);
  });
});
