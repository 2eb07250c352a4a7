import { Ajv, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance, FastifySchemaCompiler } from 'fastify';
import { INT4_MAX, INT4_MIN, unstorableText } from '@praxis/contracts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

const shared: Options = { allErrors: true, removeAdditional: true, useDefaults: true, strict: false };
// Bodies are JSON and must be typed correctly ("1" is not a number); query strings and params are text and are coerced.
const bodyAjv = addFormats(new Ajv({ ...shared, coerceTypes: false }));
const textAjv = addFormats(new Ajv({ ...shared, coerceTypes: 'array' }));

type JsonSchema = Record<string, unknown>;
const boundedSchemas = new WeakMap<object, object>();

/**
 * The schema with every integer held to the database's int4 range unless it says otherwise, so
 * `"revision": 1e308` or `?from=99999999999` is a 400 and never reaches a query. Copied once per
 * schema object (ajv caches compiled validators by identity); the OpenAPI document keeps the original.
 */
export function withIntegerBounds(schema: object): object {
  const cached = boundedSchemas.get(schema);
  if (cached) return cached;
  const literalKeywords = new Set(['default', 'const', 'enum', 'examples']);
  const visit = (node: unknown, propertyMap = false): unknown => {
    if (Array.isArray(node)) return node.map((n) => visit(n));
    if (typeof node !== 'object' || node === null) return node;
    const copy: JsonSchema = {};
    for (const [key, value] of Object.entries(node)) {
      copy[key] =
        !propertyMap && literalKeywords.has(key)
          ? value
          : visit(value, !propertyMap && (key === 'properties' || key === 'patternProperties'));
    }
    if (propertyMap) return copy;
    const types = Array.isArray(copy.type) ? copy.type : [copy.type];
    if (types.includes('integer') || types.includes('number')) {
      if (typeof copy.maximum !== 'number' || copy.maximum > INT4_MAX) copy.maximum = INT4_MAX;
      if (typeof copy.minimum !== 'number' || copy.minimum < INT4_MIN) copy.minimum = INT4_MIN;
    }
    return copy;
  };
  const bounded = visit(schema) as object;
  boundedSchemas.set(schema, bounded);
  return bounded;
}

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? bodyAjv : textAjv).compile(withIntegerBounds(schema)) as ReturnType<FastifySchemaCompiler<object>>;

interface Issue {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message: string;
}

/** Every string (and object key) in a parsed request part that PostgreSQL could not store, without recursion (bodies may nest deeply). */
export function unstorableStrings(value: unknown): Issue[] {
  const issues: Issue[] = [];
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0 && issues.length < 20) {
    const [node, path] = stack.pop()!;
    if (typeof node === 'string') {
      const problem = unstorableText(node);
      if (problem) issues.push({ keyword: 'unstorableText', instancePath: path, params: {}, message: problem });
    } else if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push([node[i], `${path}/${i}`]);
    } else if (typeof node === 'object' && node !== null) {
      for (const [key, child] of Object.entries(node)) {
        const keyProblem = unstorableText(key);
        if (keyProblem)
          issues.push({ keyword: 'unstorableText', instancePath: path, params: {}, message: `has a field name that ${keyProblem}` });
        else stack.push([child, `${path}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`]);
      }
    }
  }
  return issues;
}

class RequestPartError extends Error {
  readonly statusCode = 400;
  constructor(
    readonly validation: Issue[],
    readonly validationContext: string,
  ) {
    super(`${validationContext} ${validation[0]?.message ?? 'is not valid'}`);
  }
}

/**
 * One gate for every route, with or without a schema: NUL bytes and lone UTF-16 surrogates anywhere
 * in the path, the query or a JSON body are refused before validation, with the field that has them.
 */
export function registerInputGate(app: FastifyInstance): void {
  // Callback style: on the hot read paths an async hook's promise costs more than the check.
  app.addHook('preValidation', (request, _reply, done) => {
    for (const [part, value] of [
      ['params', request.params],
      ['querystring', request.query],
      ['body', request.body],
    ] as const) {
      const issues = unstorableStrings(value);
      if (issues.length > 0) return done(new RequestPartError(issues, part));
    }
    done();
  });
}
