import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { excerpt, parseMentions, renderMarkdown, sanitizeRenderedHtml } from './markdown.js';

// htmlparser2 is sanitize-html's own parser; it is not our dependency, so resolve it from there.
interface ParserHandlers {
  onopentag(name: string, attribs: Record<string, string>): void;
  ontext(text: string): void;
}
interface HtmlParser {
  write(html: string): void;
  end(): void;
}
const sanitizeEntry = createRequire(import.meta.url).resolve('sanitize-html');
const htmlparser2 = createRequire(sanitizeEntry).resolve('htmlparser2');
const { Parser } = (await import(pathToFileURL(htmlparser2).href)) as {
  Parser: new (handlers: Partial<ParserHandlers>) => HtmlParser;
};

function parseHtml(html: string) {
  const tags: { name: string; attribs: Record<string, string> }[] = [];
  let text = '';
  const parser = new Parser({
    onopentag: (name, attribs) => tags.push({ name, attribs }),
    ontext: (t) => {
      text += t;
    },
  });
  parser.write(html);
  parser.end();
  return { tags, text };
}

const ALLOWED_TAGS = new Set([
  'p',
  'br',
  'hr',
  'strong',
  'em',
  'del',
  'code',
  'pre',
  'blockquote',
  'ul',
  'ol',
  'li',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'a',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'span',
]);
const ALLOWED_ATTRS: Record<string, string[]> = {
  a: ['href', 'rel', 'class'],
  span: ['class'],
  code: ['class'],
  ol: ['start'],
};

/**
 * Inert = no dangerous element and no dangerous attribute. Text is escaped by construction, so a
 * user who *writes* "javascript:" or "onerror=" sees those words; they must only never be markup.
 */
function expectInert(html: string): void {
  expect(html).not.toMatch(/<\s*(script|iframe|svg|style|object|embed|math|img)\b/i);
  for (const tag of html.match(/<[^>]*>/g) ?? []) {
    expect(tag).not.toMatch(/\son\w+\s*=/i);
    expect(tag).not.toMatch(/javascript:|vbscript:|data:/i);
    expect(tag).not.toMatch(/\sstyle\s*=/i);
  }
  // A real parse decodes entities in attribute values, catching `&#106;avascript:` and friends.
  for (const { name, attribs } of parseHtml(html).tags) {
    expect(ALLOWED_TAGS, `<${name}>`).toContain(name);
    for (const [attr, value] of Object.entries(attribs)) {
      expect(ALLOWED_ATTRS[name] ?? [], `${name}[${attr}]`).toContain(attr);
      const compact = value.replace(/[\p{Cc}\s]/gu, '');
      expect(compact).not.toMatch(/javascript:|vbscript:|data:/i);
      if (attr === 'href') {
        const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(compact)?.[1]?.toLowerCase();
        expect([undefined, 'http', 'https', 'mailto']).toContain(scheme);
      }
    }
  }
}

describe('renderMarkdown: ordinary content', () => {
  it('renders emphasis, strong and strikethrough (as <del>)', () => {
    expect(renderMarkdown('**b** _i_ ~~s~~')).toBe('<p><strong>b</strong> <em>i</em> <del>s</del></p>\n');
  });

  it('renders headings as-is, blockquotes and rules', () => {
    expect(renderMarkdown('# Title\n\n> quoted\n\n---')).toBe('<h1>Title</h1>\n<blockquote>\n<p>quoted</p>\n</blockquote>\n<hr />\n');
  });

  it('renders bullet and ordered lists, keeping the start number', () => {
    expect(renderMarkdown('- a\n- b')).toBe('<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n');
    expect(renderMarkdown('3. x\n4. y')).toBe('<ol start="3">\n<li>x</li>\n<li>y</li>\n</ol>\n');
  });

  it('renders fenced code escaped, with the language class', () => {
    expect(renderMarkdown('```ts\nconst a = 1 < 2 && "x";\n```')).toBe(
      '<pre><code class="language-ts">const a = 1 &lt; 2 &amp;&amp; "x";\n</code></pre>\n',
    );
  });

  it('renders tables without inline styles', () => {
    const html = renderMarkdown('| a | b |\n|--:|---|\n| 1 | 2 |');
    expect(html).toContain('<table>\n<thead>\n<tr>\n<th>a</th>\n<th>b</th>');
    expect(html).toContain('<tbody>\n<tr>\n<td>1</td>\n<td>2</td>');
    expect(html).not.toContain('style');
  });

  it('gives every link rel="nofollow ugc noopener" and never a target', () => {
    expect(renderMarkdown('[x](https://example.com "title")')).toBe(
      '<p><a href="https://example.com" rel="nofollow ugc noopener">x</a></p>\n',
    );
    expect(renderMarkdown('see https://example.com/a?b=1')).toBe(
      '<p>see <a href="https://example.com/a?b=1" rel="nofollow ugc noopener">https://example.com/a?b=1</a></p>\n',
    );
    expect(renderMarkdown('mail me@example.com')).toBe(
      '<p>mail <a href="mailto:me@example.com" rel="nofollow ugc noopener">me@example.com</a></p>\n',
    );
    expect(renderMarkdown('[rel](/t/1)')).toBe('<p><a href="/t/1" rel="nofollow ugc noopener">rel</a></p>\n');
    expect(renderMarkdown('[x](https://example.com)')).not.toContain('target');
  });

  it('escapes raw HTML instead of interpreting it', () => {
    expect(renderMarkdown('<b>x</b>')).toBe('<p>&lt;b&gt;x&lt;/b&gt;</p>\n');
  });

  it('does not render images; the link stays visible', () => {
    expect(renderMarkdown('![alt](https://example.com/a.png)')).toBe(
      '<p>!<a href="https://example.com/a.png" rel="nofollow ugc noopener">alt</a></p>\n',
    );
  });

  it('does not link other schemes', () => {
    expect(renderMarkdown('[x](ftp://example.com)')).toBe('<p>[x](ftp://example.com)</p>\n');
  });
});

describe('parseMentions', () => {
  it('finds mentions lowercased, de-duplicated, in first-appearance order', () => {
    expect(parseMentions('@Carol hi @alice and @bob, again @ALICE')).toEqual(['carol', 'alice', 'bob']);
  });

  it('accepts dots, dashes and underscores inside but not at the end of a name', () => {
    expect(parseMentions('thanks @jane.doe. and @x_y- and @a-b-c.')).toEqual(['jane.doe', 'x_y', 'a-b-c']);
  });

  it('ignores emails and @ preceded by a word character', () => {
    expect(parseMentions('write to a@b.com or x_@y')).toEqual([]);
    expect(parseMentions('(@paren) "@quoted"')).toEqual(['paren', 'quoted']);
  });

  it('ignores inline code, fenced and indented code blocks', () => {
    const md = 'real @one `@inline`\n\n```\n@fenced\n```\n\n    @indented\n\n~~~js\n@tilde\n~~~\n\nand @two';
    expect(parseMentions(md)).toEqual(['one', 'two']);
  });

  it('ignores a bare @, escaped \\@ and text inside links', () => {
    expect(parseMentions('@ alone, \\@escaped, [@linked](https://x.org)')).toEqual([]);
  });

  it('finds mentions in lists, headings, quotes and tables', () => {
    expect(parseMentions('# @h\n\n- @li\n\n> @q\n\n| @th |\n|--|\n| @td |')).toEqual(['h', 'li', 'q', 'th', 'td']);
  });

  it('returns at most 20', () => {
    const names = Array.from({ length: 25 }, (_, i) => `user${i}`);
    expect(parseMentions(names.map((n) => `@${n}`).join(' '))).toEqual(names.slice(0, 20));
  });
});

describe('renderMarkdown: mentions', () => {
  it('links mentions to the profile with the lowercased name', () => {
    expect(renderMarkdown('hi @Alice.')).toBe('<p>hi <a class="mention" href="/u/alice" rel="nofollow ugc noopener">@Alice</a>.</p>\n');
  });

  it('only links users that exist when userExists is given, asking with the lowercased name', () => {
    const asked: string[] = [];
    const userExists = (name: string) => {
      asked.push(name);
      return name === 'alice';
    };
    expect(renderMarkdown('@Alice @ghost', { userExists })).toBe(
      '<p><a class="mention" href="/u/alice" rel="nofollow ugc noopener">@Alice</a> @ghost</p>\n',
    );
    expect(asked).toEqual(['alice', 'ghost']);
  });

  it('leaves code, emails and link text alone', () => {
    expect(renderMarkdown('`@bob`')).toBe('<p><code>@bob</code></p>\n');
    expect(renderMarkdown('```\n@bob\n```')).toBe('<pre><code>@bob\n</code></pre>\n');
    expect(renderMarkdown('a@b.com')).toBe('<p><a href="mailto:a@b.com" rel="nofollow ugc noopener">a@b.com</a></p>\n');
    expect(renderMarkdown('[@bob](https://x.org)')).toBe('<p><a href="https://x.org" rel="nofollow ugc noopener">@bob</a></p>\n');
  });

  it('keeps mentions inside emphasis', () => {
    expect(renderMarkdown('**@bob**')).toBe(
      '<p><strong><a class="mention" href="/u/bob" rel="nofollow ugc noopener">@bob</a></strong></p>\n',
    );
  });
});

describe('XSS: rendered output is inert', () => {
  // Markdown that must not become a link at all.
  const badLinks = [
    '[x](javascript:alert(1))',
    '[x](JAVASCRIPT:alert(1))',
    '[x](  javascript:alert(1))',
    '[x](<javascript:alert(1)>)',
    '[x](java\tscript:alert(1))',
    '[x](&#106;avascript:alert(1))',
    '[x](&#x6A;avascript&#58;alert(1))',
    '[x](vbscript:msgbox(1))',
    '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
    '![x](data:image/png;base64,iVBORw0KGgo=)',
    '![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)',
    '[x]: javascript:alert(1)\n\n[x]',
    '<javascript:alert(1)>',
    '<JaVaScRiPt:alert(1)>',
  ];
  const payloads = [
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    ...badLinks,
    '[x](https://example.com "onmouseover=alert(1)")',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<iframe src="https://evil">',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<svg onload=alert(1)><script>alert(1)</script></svg>',
    '<svg><a xlink:href="javascript:alert(1)">x</a></svg>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">x</maction></math>',
    '<style>body{background:url(javascript:alert(1))}</style>',
    '<p style="background:url(javascript:alert(1))" onclick="alert(1)">x</p>',
    '<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)">',
    '<div onmouseover="alert(1)">hover</div>',
    '<a href="https://ok.example" target="_blank" onclick="alert(1)">x</a>',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<details open ontoggle=alert(1)>',
    '<base href="javascript:/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<span class="mention" style="x" onclick="alert(1)">@x</span>',
    '`<script>alert(1)</script>`',
    '```html\n<script>alert(1)</script>\n```',
  ];

  it.each(payloads)('renderMarkdown(%j)', (payload) => {
    expectInert(renderMarkdown(payload));
  });

  it.each(badLinks)('does not turn %j into a link', (payload) => {
    expect(renderMarkdown(payload)).not.toContain('<a');
  });

  it('shows raw HTML as text', () => {
    expect(renderMarkdown('<script>alert(1)</script>')).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n');
  });

  // If raw HTML ever reached the sanitizer (say html: true by mistake), it must still come out inert.
  const unsafeMarkdown = new MarkdownIt({ html: true, linkify: true });

  it.each(payloads)('sanitizer alone, with raw HTML let through: %j', (payload) => {
    expectInert(sanitizeRenderedHtml(unsafeMarkdown.render(payload)));
  });

  it.each([
    '<script>alert(1)</script>',
    '<style>p{color:red}alert(1)</style>',
    '<iframe>alert(1)</iframe>',
    '<svg onload=alert(1)><script>alert(1)</script><text>alert(1)</text></svg>',
    '<math><mtext>alert(1)</mtext></math>',
    '<object>alert(1)</object>',
    '<noscript>alert(1)</noscript>',
    '<template>alert(1)</template>',
  ])('sanitizer drops the content of %j, not just the tag', (payload) => {
    const out = sanitizeRenderedHtml(`<p>before</p>${payload}<p>after</p>`);
    expect(out).toBe('<p>before</p><p>after</p>');
    expect(parseHtml(out).text).not.toContain('alert');
  });

  it('sanitizer keeps the safe part of a mixed element', () => {
    expect(sanitizeRenderedHtml('<a href="https://ok.example" target="_blank" onclick="x" title="t">ok</a>')).toBe(
      '<a href="https://ok.example" rel="nofollow ugc noopener">ok</a>',
    );
    expect(sanitizeRenderedHtml('<a href="javascript:alert(1)" rel="opener">x</a>')).toBe('<a rel="nofollow ugc noopener">x</a>');
    expect(sanitizeRenderedHtml('<span class="mention evil" style="x">@x</span>')).toBe('<span class="mention">@x</span>');
    expect(sanitizeRenderedHtml('<div><img src=x>text</div>')).toBe('text');
  });
});

describe('excerpt', () => {
  it('strips markdown syntax and collapses whitespace', () => {
    expect(excerpt('# Title\n\nSome *text*   & <b>, [a link](https://x.org)\n\n- one\n- two\n\n`code`')).toBe(
      'Title Some text & <b>, a link one two code',
    );
  });

  it('returns short text unchanged', () => {
    expect(excerpt('hello world', 11)).toBe('hello world');
  });

  it('cuts at a word boundary with an ellipsis, staying within max', () => {
    expect(excerpt('hello wonderful world', 12)).toBe('hello…');
    expect(excerpt('hello world again', 12)).toBe('hello world…');
  });

  it('hard-cuts a single long word', () => {
    expect(excerpt('a'.repeat(50), 10)).toBe(`${'a'.repeat(9)}…`);
  });

  it('defaults to 200 characters', () => {
    const out = excerpt('word '.repeat(100));
    expect(out.length).toBeLessThanOrEqual(200);
    expect(out.endsWith('word…')).toBe(true);
  });

  it('does not split surrogate pairs', () => {
    expect(excerpt('😀'.repeat(10), 5)).toBe('😀😀😀😀…');
  });
});
