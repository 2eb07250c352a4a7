import { error, fail, type ActionFailure } from '@sveltejs/kit';
import { problemMessage, problemToFieldErrors, type ProblemLike } from '$lib/format';
import type { FormFailure } from '$lib/types';
import { isProblem } from './api';

/** A form field as a trimmed string ('' when absent or a file). */
export function field(form: FormData, name: string, { trim = true } = {}): string {
  const value = form.get(name);
  if (typeof value !== 'string') return '';
  return trim ? value.trim() : value;
}

/** A positive integer field, or null. */
export function idField(form: FormData, name: string): number | null {
  const value = Number(field(form, name));
  return Number.isInteger(value) && value > 0 ? value : null;
}

export interface FailOptions {
  /** What the user typed, to put back into the form. */
  values?: Record<string, string>;
  /** Field name → label, for messages ("Your reply is empty"). */
  labels?: Record<string, string>;
  /**
   * Fields the page shows errors next to (default: the keys of `values`). When every error belongs to
   * one of them, the form-level message is left out so the same thing is not said twice.
   */
  fields?: string[];
}

/**
 * Turns an API problem into `fail(status, { errors, message, values })` for the page to show next to
 * its fields. Auth failures keep their status so the page can offer to sign in.
 */
export function failWith(problem: unknown, response: Response | undefined, options: FailOptions = {}): ActionFailure<FormFailure> {
  const { values = {}, labels = {}, fields = Object.keys(values) } = options;
  const p: ProblemLike = isProblem(problem) ? problem : { status: response?.status ?? 500, title: 'Something went wrong' };
  const status = p.status ?? response?.status ?? 500;
  const errors = problemToFieldErrors(p, labels);
  const errorFields = Object.keys(errors);
  const shownByFields = errorFields.length > 0 && errorFields.every((f) => fields.includes(f));
  // fail() only takes 4xx: a server fault is reported as a failed form (the page stays usable).
  const code = status >= 400 && status < 500 ? status : 400;
  const message =
    status >= 500 ? 'The server could not complete this. Please try again in a moment.' : shownByFields ? undefined : problemMessage(p);
  return fail(code, { errors, ...(message && { message }), values });
}

/** For load functions: the API's 404/403 become this app's error pages; anything else is a 5xx. */
export function throwLoadError(problem: unknown, response: Response | undefined): never {
  const status = response?.status ?? 500;
  const p = isProblem(problem) ? problem : undefined;
  if (status === 404) error(404, { message: p?.detail ?? 'We could not find that page.', code: 'NOT_FOUND' });
  if (status === 401 || status === 403)
    error(status, { message: p?.detail ?? p?.title ?? 'You cannot see this page.', code: p?.code ?? 'FORBIDDEN' });
  if (status >= 400 && status < 500)
    error(status, { message: p?.detail ?? p?.title ?? 'That request is not valid.', ...(p?.code && { code: p.code }) });
  error(502, { message: 'Praxis could not reach its API. Please try again in a moment.', code: 'UPSTREAM' });
}
