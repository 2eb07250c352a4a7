import { AppError, errorCatalogue, SINGLE_LINE_PATTERN, type ErrorCode, type Problem } from '@praxis/contracts';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export function sendProblem(reply: FastifyReply, code: ErrorCode, detail?: string, errors?: Record<string, string>): FastifyReply {
  const { status, title } = errorCatalogue[code];
  const body: Problem = { type: `https://praxis.dev/problems/${code.toLowerCase().replaceAll('_', '-')}`, title, status, code };
  if (detail) body.detail = detail;
  if (errors && Object.keys(errors).length > 0) body.errors = errors;
  return reply.status(status).type('application/problem+json').send(body);
}

const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_BODY',
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_BODY',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'MALFORMED_BODY',
};

interface ValidationIssue {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

/** Ajv's messages, said the way a person filling in a form would understand them. */
function describeIssue(issue: ValidationIssue): string {
  const p = issue.params;
  switch (issue.keyword) {
    case 'required':
      return 'is required';
    case 'minLength':
      return p.limit === 1 ? 'must not be empty' : `must be at least ${String(p.limit)} characters`;
    case 'maxLength':
      return `must be at most ${String(p.limit)} characters`;
    case 'minItems':
      return `needs at least ${String(p.limit)}`;
    case 'maxItems':
      return `allows at most ${String(p.limit)}`;
    case 'minimum':
    case 'maximum':
      return `must be ${issue.keyword === 'minimum' ? '≥' : '≤'} ${String(p.limit)}`;
    case 'format':
      return `must be a valid ${String(p.format)}`;
    case 'pattern':
      return p.pattern === SINGLE_LINE_PATTERN
        ? 'must be one line, without control characters'
        : 'contains characters that are not allowed';
    case 'type':
      return `must be ${String(p.type)}`;
    case 'anyOf':
    case 'enum':
    case 'const':
      return 'is not one of the allowed values';
    default:
      return issue.message ?? 'is not valid';
  }
}

function fieldOf(instancePath: string, params: Record<string, unknown>): string {
  const missing = typeof params.missingProperty === 'string' ? `/${params.missingProperty}` : '';
  return `${instancePath}${missing}`.replace(/^\//, '').replaceAll('/', '.') || '(root)';
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    if (error instanceof AppError) return sendProblem(reply, error.code, error.detail, error.fields);
    if ('validation' in error && error.validation) {
      const errors: Record<string, string> = {};
      for (const issue of error.validation as ValidationIssue[]) {
        const field = fieldOf(issue.instancePath, issue.params);
        // anyOf reports each branch first; keep the first, most specific message per field.
        errors[field] ??= describeIssue(issue);
      }
      const first = Object.entries(errors)[0];
      const subject = first?.[0] === '(root)' ? `The ${error.validationContext ?? 'request'}` : first?.[0];
      return sendProblem(reply, 'VALIDATION_FAILED', first ? `${subject} ${first[1]}` : undefined, errors);
    }
    const mapped = error.code ? fastifyCodes[error.code] : undefined;
    if (mapped) return sendProblem(reply, mapped, error.message);
    if (error instanceof SyntaxError || error.statusCode === 400) return sendProblem(reply, 'MALFORMED_BODY', error.message);
    if (error.statusCode === 429) return sendProblem(reply, 'RATE_LIMITED', error.message);
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      const code =
        (Object.keys(errorCatalogue) as ErrorCode[]).find((c) => errorCatalogue[c].status === error.statusCode) ?? 'VALIDATION_FAILED';
      return sendProblem(reply, code, error.message);
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(reply, 'INTERNAL');
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, 'NOT_FOUND', `No route for ${request.method} ${request.url.split('?')[0]}`),
  );
}

/** Errors Fastify's router raises before any route runs (broken percent-encoding, an over-long path segment): problem+json like the rest. */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH')
    void sendProblem(reply, 'VALIDATION_FAILED', 'A part of the address is too long (at most 100 characters)');
  else if (error.code === 'FST_ERR_BAD_URL')
    void sendProblem(
      reply,
      'VALIDATION_FAILED',
      'The address is not valid: it has broken percent-encoding or characters that are not UTF-8',
    );
  else void sendProblem(reply, 'VALIDATION_FAILED', error.message);
}
