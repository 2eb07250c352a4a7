/** A stand-in for `locals.api` in unit tests: answers each "METHOD path" from a table and records the calls. */

export interface FakeAnswer {
  status: number;
  body?: unknown;
}

export interface FakeCall {
  method: string;
  path: string;
  init: unknown;
}

export function fakeApi(answers: Record<string, FakeAnswer | ((init: unknown) => FakeAnswer)>) {
  const calls: FakeCall[] = [];
  const call = (method: string) => async (path: string, init?: unknown) => {
    calls.push({ method, path, init });
    const entry = answers[`${method} ${path}`];
    if (!entry) throw new Error(`unexpected API call: ${method} ${path}`);
    const { status, body } = typeof entry === 'function' ? entry(init) : entry;
    const response = new Response(body === undefined ? null : JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json' },
    });
    return status < 400 ? { data: body, response } : { error: body, response };
  };
  const api = { GET: call('GET'), POST: call('POST'), PUT: call('PUT'), PATCH: call('PATCH'), DELETE: call('DELETE') };
  return { api: api as unknown as App.Locals['api'], calls };
}

export const viewer = {
  id: 7,
  username: 'ada',
  displayName: 'Ada',
  email: 'ada@example.test',
  role: 'member',
  memberships: [],
} as unknown as NonNullable<App.Locals['viewer']>;
