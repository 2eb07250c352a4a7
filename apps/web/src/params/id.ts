import type { ParamMatcher } from '@sveltejs/kit';

/** A positive database id (1 … 2^31-1), so /t/abc is a 404 before any API call. */
export const match: ParamMatcher = (param) => /^[1-9]\d{0,9}$/.test(param) && Number(param) <= 2147483647;
