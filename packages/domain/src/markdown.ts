import MarkdownIt, { type StateCore, type Token } from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

export interface RenderOptions {
  /** Called with the lowercased username; mentions of unknown users stay plain text. */
  userExists?: (username: string) => boolean;
}

const MAX_MENTIONS = 20;
const MENTION = /(?<![A-Za-z0-9_])@([A-Za-z0-9_][A-Za-z0-9_.-]*)/g;
const ALLOWED_SCHEMES = ['http', 'https', 'mailto'];
const LINK_REL = 'nofollow ugc noopener';

const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });
// Without images `![alt](src)` stays visible as a link instead of vanishing in the sanitizer.
md.disable('image');
md.validateLink = (url) => {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url.trim())?.[1];
  return scheme === undefined || ALLOWED_SCHEMES.includes(scheme.toLowerCase());
};
// After linkify so linkified emails are already links; before text_join so `\@name` escapes a mention.
md.core.ruler.after('linkify', 'mention', mentionRule);

function mentionRule(state: StateCore): void {
  const { userExists } = state.env as RenderOptions;
  for (const block of state.tokens) {
    if (block.type !== 'inline' || !block.children) continue;
    const children: Token[] = [];
    let linkDepth = 0;
    for (const token of block.children) {
      if (token.type === 'link_open') linkDepth++;
      if (token.type === 'link_close') linkDepth--;
      if (token.type === 'text' && linkDepth === 0) children.push(...splitMentions(state, token, userExists));
      else children.push(token);
    }
    block.children = children;
  }
}

function splitMentions(state: StateCore, token: Token, userExists: RenderOptions['userExists']): Token[] {
  const text = token.content;
  const out: Token[] = [];
  let last = 0;
  const push = (type: string, tag: string, nesting: Token['nesting'], content = ''): Token => {
    const t = new state.Token(type, tag, nesting);
    t.content = content;
    t.level = token.level;
    out.push(t);
    return t;
  };
  for (const match of text.matchAll(MENTION)) {
    const name = (match[1] ?? '').replace(/[.-]+$/, '');
    const username = name.toLowerCase();
    if (userExists && !userExists(username)) continue;
    if (match.index > last) push('text', '', 0, text.slice(last, match.index));
    const open = push('link_open', 'a', 1);
    open.attrs = [
      ['class', 'mention'],
      ['href', `/u/${username}`],
    ];
    open.meta = { mention: username };
    push('text', '', 0, `@${name}`);
    push('link_close', 'a', -1);
    last = match.index + 1 + name.length;
  }
  if (out.length === 0) return [token];
  if (last < text.length) push('text', '', 0, text.slice(last));
  return out;
}

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
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
  ],
  allowedAttributes: { a: ['href', 'rel'], ol: ['start'] },
  allowedClasses: { a: ['mention'], span: ['mention'], code: ['language-*'] },
  allowedSchemes: ALLOWED_SCHEMES,
  allowedSchemesByTag: {},
  disallowedTagsMode: 'discard',
  // Disallowed tags normally keep their text; for these the content itself must go.
  nonTextTags: [
    'script',
    'style',
    'textarea',
    'option',
    'xmp',
    'noscript',
    'noembed',
    'noframes',
    'template',
    'title',
    'iframe',
    'frame',
    'frameset',
    'object',
    'embed',
    'applet',
    'svg',
    'math',
  ],
  transformTags: {
    s: 'del',
    a: sanitizeHtml.simpleTransform('a', { rel: LINK_REL }),
  },
};

/** The allowlist applied to rendered markdown; exported so it can be tested on raw HTML. */
export function sanitizeRenderedHtml(html: string): string {
  return sanitizeHtml(html, SANITIZE);
}

export function renderMarkdown(source: string, opts: RenderOptions = {}): string {
  return sanitizeRenderedHtml(md.render(source, { userExists: opts.userExists }));
}

/** Lowercased usernames mentioned outside code, de-duplicated, first 20 in order of appearance. */
export function parseMentions(markdown: string): string[] {
  const names = new Set<string>();
  for (const token of inlineTokens(md.parse(markdown, {}))) {
    const mention: unknown = token.meta?.mention;
    if (typeof mention === 'string') names.add(mention);
    if (names.size === MAX_MENTIONS) break;
  }
  return [...names];
}

/** The text a reader sees, without markup, whitespace collapsed: for search documents and emails. */
export function markdownToText(markdown: string): string {
  return plainText(md.parse(markdown, {})).replace(/\s+/g, ' ').trim();
}

/** Plain text of the rendered markdown, whitespace collapsed, cut at a word boundary. */
export function excerpt(markdown: string, max = 200): string {
  const text = markdownToText(markdown);
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  const head = chars.slice(0, Math.max(max - 1, 0)).join('');
  const cutsWord = chars[max - 1] !== ' ';
  const lastSpace = head.lastIndexOf(' ');
  const cut = cutsWord && lastSpace > 0 ? head.slice(0, lastSpace) : head;
  return `${cut.trimEnd()}…`;
}

function* inlineTokens(tokens: Token[]): Generator<Token> {
  for (const token of tokens) {
    if (token.children) yield* token.children;
  }
}

function plainText(tokens: Token[]): string {
  let out = '';
  for (const token of tokens) {
    if (token.children) out += plainText(token.children);
    else if (['text', 'text_special', 'code_inline', 'code_block', 'fence'].includes(token.type)) out += token.content;
    else if (token.block || token.type === 'softbreak' || token.type === 'hardbreak') out += ' ';
  }
  return out;
}
