import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql } from '@praxis/db';
import type { LightMyRequestResponse } from 'fastify';
import { ask, buildTestApp, createCommunity, ORIGIN, reply, signUp, signUpAs, type Session } from './helper.js';

/**
 * Property-based fuzzing of every operation in the OpenAPI document (issue 10): each request is a plausible
 * one with ONE place made hostile (a path or query parameter, a body field at any depth, or the whole body),
 * sent anonymously and as a signed-in member. Whatever comes back must not be a 5xx; a 4xx must be
 * problem+json; and a refused request must leave the main tables as they were.
 *
 * Seeded: FUZZ_SEED (printed) replays a run; FUZZ_RUNS sets the requests per operation and identity.
 * New routes are fuzzed as soon as they are in the document.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20261204);
const RUNS = Number(process.env.FUZZ_RUNS ?? 5);
console.log(`fuzz: seed ${SEED}, ${RUNS} runs per operation and identity (FUZZ_SEED / FUZZ_RUNS to change)`);

const t = await buildTestApp();
afterAll(() => t.close());

// A small forum to aim at: the member belongs to "general", which has a thread with a reply and a guide; "hidden" is private.
const admin = await signUpAs(t.app, 'admin', 'fuzzadmin');
await createCommunity(admin, 'general');
await createCommunity(admin, 'hidden', 'private');
const member: Session = await signUp(t.app, 'fuzzmember');
await member.inject({ method: 'POST', url: '/api/v1/communities/general/join' });
const threadId = await ask(member, 'general', 'A question to fuzz around');
const postId = await reply(admin, threadId, 'An answer to fuzz around');
await admin.inject({
  method: 'POST',
  url: '/api/v1/guides',
  payload: { community: 'general', title: 'A guide to fuzz', sourcePostIds: [postId] },
});

// ---- the OpenAPI document ------------------------------------------------------------------------------

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  allOf?: Schema[];
  oneOf?: Schema[];
  const?: unknown;
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minLength?: number;
  minimum?: number;
  minItems?: number;
  default?: unknown;
};
interface Parameter {
  in: 'path' | 'query' | 'header' | 'cookie';
  name: string;
  required?: boolean;
  schema: Schema;
}
interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  body: Schema | undefined;
}

const doc = t.app.swagger() as {
  paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema: Schema }> } }>>;
};
const operations: Operation[] = Object.entries(doc.paths).flatMap(([path, methods]) =>
  Object.entries(methods)
    .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
    .map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      parameters: op.parameters ?? [],
      body: op.requestBody?.content?.['application/json']?.schema,
    })),
);

// ---- plausible values, so that one hostile value gets as deep as it can ---------------------------------

const known: Record<string, unknown> = {
  slug: 'general',
  community: 'general',
  tag: 'hops',
  username: member.username,
  id: threadId,
  threadId,
  postId,
  title: 'A fuzzed title for a thread',
  body: 'A fuzzed body',
  q: 'fuzz',
  timeZone: 'UTC',
  login: member.username,
  password: 'correct horse battery',
};

function plausible(schema: Schema | undefined, name = ''): unknown {
  if (!schema) return undefined;
  const fits = { string: 'string', integer: 'number', number: 'number' }[String(schema.type)];
  if (name in known && fits === typeof known[name]) return known[name];
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  if (schema.anyOf ?? schema.oneOf)
    return plausible((schema.anyOf ?? schema.oneOf)!.find((s) => s.type !== 'null') ?? (schema.anyOf ?? schema.oneOf)![0], name);
  if (schema.allOf) return Object.assign({}, ...schema.allOf.map((s) => plausible(s, name) as object));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const key of schema.required ?? []) out[key] = plausible(schema.properties?.[key], key);
      return out;
    }
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, () => plausible(schema.items, name));
    case 'integer':
    case 'number':
      return Math.max(1, schema.minimum ?? 1);
    case 'boolean':
      return true;
    case 'string': {
      if (schema.format === 'date-time') return '2030-01-01T00:00:00Z';
      if (schema.format === 'email') return 'fuzz@example.test';
      const candidates = ['general', 'hops', 'fuzzed text here', 'x'.repeat(Math.max(1, schema.minLength ?? 1))];
      return (schema.pattern && candidates.find((c) => new RegExp(schema.pattern!, 'u').test(c))) ?? candidates.at(-1);
    }
    default:
      return null;
  }
}

interface Field {
  path: (string | number)[];
  schema: Schema;
}

/** Every body field with its schema, as a path of keys (array items as index 0), at any depth. */
function bodyFields(schema: Schema | undefined, prefix: (string | number)[] = []): Field[] {
  if (!schema || prefix.length > 4) return [];
  const branches = [...(schema.allOf ?? []), ...(schema.anyOf ?? []), ...(schema.oneOf ?? [])];
  if (branches.length > 0) return branches.flatMap((b) => bodyFields(b, prefix));
  if (schema.properties)
    return Object.entries(schema.properties).flatMap(([k, s]) => [{ path: [...prefix, k], schema: s }, ...bodyFields(s, [...prefix, k])]);
  if (schema.items) return [{ path: [...prefix, 0], schema: schema.items }, ...bodyFields(schema.items, [...prefix, 0])];
  return [];
}

// ---- hostile values ---------------------------------------------------------------------------------------

/** A JSON number written as-is (JSON.stringify cannot write 9007199254740993 or 1e999). */
class Raw {
  constructor(readonly text: string) {}
}
const RAW_NUMBERS = [
  '9007199254740993',
  '1e308',
  '-1e308',
  '1e999',
  '99999999999999999999',
  '2147483648',
  '-2147483649',
  '-1',
  '0',
  '-0',
  '1.5',
  '0.0000001',
];

const hostileString = fc.oneof(
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    '\ud800',
    'x\udfffy',
    '\udc00\ud800',
    '\r\n',
    'line\nbreak',
    '\u001b[31mred',
    '\u0007',
    '\u0085',
    '\u2028',
    '\u202eevil',
    '\ufeff',
    '\uffff',
    "' OR 1=1 --",
    '"; drop table users; --',
    '../../etc/passwd',
    '%00',
    '%',
    '{{7*7}}',
    '<script>alert(1)</script>',
    '',
    ' ',
    '   ',
    '🍺'.repeat(40),
    'ǅ'.repeat(300),
  ),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: fc.constantFrom('\u0000', '\ud800', '\udc00', '\u001f', '\u007f', 'a', '\n', ' ', 'é'), minLength: 1, maxLength: 12 }),
  fc.constantFrom(70_000, 300_000).map((n) => 'x'.repeat(n)),
);
const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.constantFrom(...RAW_NUMBERS).map((n) => new Raw(n)),
  fc.constantFrom<unknown>(null, true, false, [], {}, [null], { '': null }, { __proto__: null, constructor: { prototype: {} } }, 'general'),
  fc.integer({ min: 1, max: 40 }).map((depth) => new Raw('['.repeat(depth * 50) + ']'.repeat(depth * 50))),
  fc.array(hostileString, { maxLength: 30 }),
);
/** For a path or query parameter: the text as it would appear decoded, or percent-encoding that is itself broken. */
const hostileParam = fc.oneof(
  hostileString.map((s) => ({ text: s })),
  fc.constantFrom(...RAW_NUMBERS, 'NaN', 'Infinity', '0x10', '1,2', '[]', 'true').map((s) => ({ text: s })),
  fc.constantFrom('%', '%E0%A4%A', '%ED%A0%80', '%FF', '%C0%80', '%2e%2e%2f').map((s) => ({ encoded: s })),
);
const hostileBody = fc.constantFrom(
  '',
  'null',
  '[]',
  '"x"',
  '123',
  '{',
  '{"a":',
  '[[[[[[[[[[',
  '{"__proto__":{"polluted":1}}',
  '{"constructor":{"prototype":{"polluted":1}}}',
  '\u0000',
  '{"a":"\\u0000"}',
  '{"a":"\\ud800"}',
  '['.repeat(5000) + ']'.repeat(5000),
);

/** encodeURIComponent, except that lone surrogates (which it refuses) go out as their WTF-8 bytes. */
function encodeParam(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const pair =
      unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length && text.charCodeAt(i + 1) >= 0xdc00 && text.charCodeAt(i + 1) <= 0xdfff;
    if (pair) {
      out += encodeURIComponent(text.slice(i, i + 2));
      i++;
    } else if (unit >= 0xd800 && unit <= 0xdfff) {
      out += [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    } else {
      out += encodeURIComponent(text[i]!);
    }
  }
  return out;
}

function stringify(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof Raw) {
      raws.push(v.text);
      return `\u0001RAW${raws.length - 1}\u0001`;
    }
    return v;
  });
  return (text ?? 'null').replace(/"\\u0001RAW(\d+)\\u0001"/g, (_m, i: string) => raws[Number(i)]!);
}

function setAt(target: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const container: Record<string | number, unknown> =
    typeof head === 'number'
      ? ((Array.isArray(target) ? [...(target as unknown[])] : []) as never)
      : { ...(typeof target === 'object' && target !== null && !Array.isArray(target) ? target : {}) };
  container[head!] = setAt(container[head!], rest, value);
  return container;
}

type Mutation =
  | { where: 'path' | 'query'; name: string; value: { text?: string; encoded?: string } }
  | { where: 'field'; path: (string | number)[]; value: unknown }
  | { where: 'body'; raw: string };

function mutations(op: Operation): fc.Arbitrary<Mutation> {
  const choices: fc.Arbitrary<Mutation>[] = [];
  for (const p of op.parameters.filter((p) => p.in === 'path' || p.in === 'query')) {
    choices.push(hostileParam.map((value) => ({ where: p.in as 'path' | 'query', name: p.name, value })));
  }
  if (op.method !== 'GET') {
    const paths = bodyFields(op.body).map((f) => f.path);
    if (paths.length > 0)
      choices.push(fc.tuple(fc.constantFrom(...paths), hostileJson).map(([path, value]) => ({ where: 'field' as const, path, value })));
    choices.push(hostileBody.map((raw) => ({ where: 'body' as const, raw })));
  }
  // Operations with nothing to fill in still get an unknown, hostile query parameter.
  if (choices.length === 0) choices.push(hostileParam.map((value) => ({ where: 'query' as const, name: 'x', value })));
  return fc.oneof(...choices);
}

interface Built {
  method: string;
  url: string;
  payload?: string;
}

function build(op: Operation, mutation: Mutation): Built {
  const encoded = (v: { text?: string; encoded?: string }) => v.encoded ?? encodeParam(v.text ?? '');
  let url = op.path;
  for (const p of op.parameters.filter((p) => p.in === 'path')) {
    const value =
      mutation.where === 'path' && mutation.name === p.name
        ? encoded(mutation.value)
        : encodeURIComponent(String(plausible(p.schema, p.name)));
    url = url.replace(`{${p.name}}`, value);
  }
  const query: string[] = [];
  for (const p of op.parameters.filter((p) => p.in === 'query')) {
    if (mutation.where === 'query' && mutation.name === p.name) query.push(`${p.name}=${encoded(mutation.value)}`);
    else if (p.required) query.push(`${p.name}=${encodeURIComponent(String(plausible(p.schema, p.name)))}`);
  }
  if (mutation.where === 'query' && !op.parameters.some((p) => p.in === 'query' && p.name === mutation.name))
    query.push(`${mutation.name}=${encoded(mutation.value)}`);
  if (query.length > 0) url += `?${query.join('&')}`;
  if (op.method === 'GET' || op.method === 'DELETE') return { method: op.method, url };
  const base = plausible(op.body) ?? {};
  const payload =
    mutation.where === 'body' ? mutation.raw : stringify(mutation.where === 'field' ? setAt(base, mutation.path, mutation.value) : base);
  return { method: op.method, url, payload };
}

// ---- the checks ---------------------------------------------------------------------------------------------

const TABLES = [
  'users',
  'sessions',
  'access_tokens',
  'communities',
  'memberships',
  'threads',
  'posts',
  'post_revisions',
  'tags',
  'votes',
  'flags',
  'guides',
  'guide_revisions',
  'guide_sources',
  'charter_revisions',
  'notifications',
  'watches',
  'expert_matches',
  'outbox_events',
  'audit_log',
];
const existing = (
  (await t.database.db.execute(
    sql.raw(
      `select table_name from information_schema.tables where table_schema = current_schema() and table_name in (${TABLES.map((n) => `'${n}'`).join(',')})`,
    ),
  )) as unknown as { rows: { table_name: string }[] }
).rows.map((r) => r.table_name);
const countQuery = sql.raw(`select ${existing.map((n) => `(select count(*)::int from "${n}") as "${n}"`).join(', ')}`);
const counts = async () => ((await t.database.db.execute(countQuery)) as unknown as { rows: Record<string, number>[] }).rows[0]!;

const show = (s: string | undefined, max = 400) =>
  s === undefined ? '' : JSON.stringify(s.length > max ? `${s.slice(0, max)}… (${s.length} chars)` : s);

function describeRequest(op: Operation, who: string, req: Built, res: LightMyRequestResponse | undefined): string {
  const headers = who === 'member' ? `cookie: praxis_session=<member>; origin: ${ORIGIN}` : `origin: ${ORIGIN}`;
  return [
    `${req.method} ${req.url.length > 600 ? `${req.url.slice(0, 600)}… (${req.url.length} chars)` : req.url}`,
    `  as ${who} (${headers}; content-type: application/json)`,
    req.payload !== undefined ? `  body: ${show(req.payload)}` : '',
    res ? `  → ${res.statusCode} ${String(res.headers['content-type'])} ${show(res.body, 300)}` : '',
    `  replay: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} pnpm --filter @praxis/api exec vitest run test/fuzz.api.test.ts -t '${op.method} ${op.path}'`,
  ]
    .filter(Boolean)
    .join('\n');
}

async function send(who: 'anonymous' | 'member', req: Built): Promise<LightMyRequestResponse> {
  const options = {
    method: req.method as 'GET',
    url: req.url,
    headers: { origin: ORIGIN, ...(req.payload !== undefined && { 'content-type': 'application/json' }) },
    ...(req.payload !== undefined && { payload: req.payload }),
  };
  return who === 'member' ? member.inject(options) : t.app.inject(options);
}

/** The table counts after the last request, so each request costs one count (a refused one is compared against it). */
let lastCounts: Record<string, number> | undefined;

/** Sends one request and throws, with the request to replay, unless the answer is right. */
async function check(op: Operation, who: 'anonymous' | 'member', mutation: Mutation): Promise<void> {
  const req = build(op, mutation);
  const before = (lastCounts ??= await counts());
  let res: LightMyRequestResponse | undefined;
  try {
    res = await send(who, req);
    const after = (lastCounts = await counts());
    if (res.statusCode >= 500) throw new Error('a 5xx');
    if (res.statusCode >= 400) {
      if (!String(res.headers['content-type']).startsWith('application/problem+json')) throw new Error('a 4xx that is not problem+json');
      const problem = res.json() as { status?: unknown; title?: unknown };
      if (problem.status !== res.statusCode || typeof problem.title !== 'string')
        throw new Error('a problem document without its status and title');
      const changed = Object.keys(before).filter((k) => before[k] !== after[k]);
      if (changed.length > 0) throw new Error(`a refused request that wrote to ${changed.join(', ')}`);
    }
  } catch (error) {
    lastCounts = undefined;
    throw new Error(`${(error as Error).message}:\n${describeRequest(op, who, req, res)}`, { cause: error });
  }
}

/** Before the random runs: the values known to break things, in every place of the operation (a NUL, a lone surrogate, an id past int4). */
function sweep(op: Operation): Mutation[] {
  const out: Mutation[] = [];
  for (const p of op.parameters.filter((p) => p.in === 'path' || p.in === 'query')) {
    for (const text of ['a\u0000b', '\ud800', '99999999999999999999'])
      out.push({ where: p.in as 'path' | 'query', name: p.name, value: { text } });
  }
  if (op.method !== 'GET' && op.method !== 'DELETE') {
    const breakers = (schema: Schema): unknown[] => {
      const types = [schema.type, ...(schema.anyOf ?? []).map((b) => b.type)].flat();
      if (types.includes('integer') || types.includes('number')) return [new Raw('9007199254740993'), new Raw('1e308')];
      return types.includes('string') ? ['a\u0000b', 'x\udc00'] : ['a\u0000b'];
    };
    for (const { path, schema } of bodyFields(op.body)) for (const value of breakers(schema)) out.push({ where: 'field', path, value });
  }
  return out;
}

// Signing out would end the member's session for every later case; it takes no input to fuzz anyway.
const skipFor = (op: Operation, who: string) => who === 'member' && op.method === 'POST' && op.path === '/api/v1/auth/logout';

describe('fuzzing every operation in the OpenAPI document', () => {
  it('finds the operations', () => {
    expect(operations.length).toBeGreaterThan(60);
  });

  operations.forEach((op, index) => {
    it(`${op.method} ${op.path}`, async () => {
      for (const who of ['anonymous', 'member'] as const) {
        if (skipFor(op, who)) continue;
        for (const mutation of sweep(op)) await check(op, who, mutation);
        await fc.assert(
          fc.asyncProperty(mutations(op), (mutation) => check(op, who, mutation)),
          { seed: SEED + index * 2 + (who === 'member' ? 1 : 0), numRuns: RUNS, endOnFailure: true },
        );
      }
    });
  });
});
