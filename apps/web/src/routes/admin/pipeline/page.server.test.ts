import { describe, expect, it } from 'vitest';
import { fakeApi, viewer } from '$lib/server/fake-api';
import { actions, load } from './+page.server';

const admin = { ...viewer, role: 'admin' } as typeof viewer;
const problem = (status: number, code: string, detail: string) => ({
  status,
  body: { type: 'about:blank', title: 'Refused', status, code, detail },
});

const pipeline = {
  outbox: { pending: 3, oldestPendingAt: new Date(Date.now() - 90_000).toISOString() },
  search: { engine: 'embedded', documents: 120, threadsToIndex: 2 },
  deadLetters: 1,
};
const letter = {
  id: 5,
  queue: 'email',
  jobName: 'email.notification',
  jobId: 'evt-42',
  error: 'SMTP refused\n    at send (mailer.js:10)',
  attempts: 5,
  failedAt: '2026-11-23T10:00:00.000Z',
  retriedAt: null,
  retryCount: 0,
};
const statusAnswers = {
  'GET /api/v1/admin/pipeline': { status: 200, body: pipeline },
  'GET /api/v1/admin/dead-letters': { status: 200, body: { items: [letter] } },
};

type Viewer = typeof viewer | null;

const runLoad = (who: Viewer, answers: Parameters<typeof fakeApi>[0] = statusAnswers) => {
  const { api, calls } = fakeApi(answers);
  const event = { locals: { api, viewer: who }, url: new URL('http://localhost/admin/pipeline'), depends: () => {} };
  return { result: (load as unknown as (e: typeof event) => Promise<Record<string, unknown>>)(event), calls };
};

async function act(name: 'retry' | 'reindex', who: Viewer, answers: Parameters<typeof fakeApi>[0], fields: [string, string][] = []) {
  const { api, calls } = fakeApi(answers);
  const request = new Request(`http://localhost/admin/pipeline?/${name}`, {
    method: 'POST',
    body: new URLSearchParams(fields),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  const run = actions[name] as unknown as (e: object) => Promise<unknown>;
  return { result: run({ locals: { api, viewer: who }, request, url: new URL(request.url) }), calls };
}

describe('/admin/pipeline load', () => {
  it('shows an admin the pipeline and the dead letters', async () => {
    const { result, calls } = runLoad(admin);
    expect(await result).toEqual({ pipeline, deadLetters: [letter], backlogStale: false });
    expect(calls.map((c) => c.path).sort()).toEqual(['/api/v1/admin/dead-letters', '/api/v1/admin/pipeline']);
  });

  it('flags a backlog whose oldest event has waited more than five minutes', async () => {
    const old = { ...pipeline, outbox: { pending: 1, oldestPendingAt: new Date(Date.now() - 6 * 60_000).toISOString() } };
    const { result } = runLoad(admin, { ...statusAnswers, 'GET /api/v1/admin/pipeline': { status: 200, body: old } });
    expect(await result).toMatchObject({ backlogStale: true });
  });

  it('passes an unreachable search engine (documents: -1) through for the page to warn about', async () => {
    const down = { ...pipeline, search: { engine: 'meilisearch', documents: -1, threadsToIndex: 7 } };
    const { result } = runLoad(admin, { ...statusAnswers, 'GET /api/v1/admin/pipeline': { status: 200, body: down } });
    expect(await result).toMatchObject({ pipeline: { search: { documents: -1 } } });
  });

  it('is a 404 for members and moderators, without asking the API', async () => {
    for (const role of ['member', 'moderator']) {
      const { result, calls } = runLoad({ ...viewer, role } as typeof viewer);
      await expect(result).rejects.toMatchObject({ status: 404 });
      expect(calls).toEqual([]);
    }
  });

  it('is a 404 when the API refuses the admin (suspended)', async () => {
    const { result } = runLoad(admin, { ...statusAnswers, 'GET /api/v1/admin/pipeline': problem(403, 'FORBIDDEN', 'Suspended') });
    await expect(result).rejects.toMatchObject({ status: 404 });
  });

  it('sends anonymous visitors to sign in and come back', async () => {
    const { result, calls } = runLoad(null);
    await expect(result).rejects.toMatchObject({ status: 303, location: '/login?next=%2Fadmin%2Fpipeline' });
    expect(calls).toEqual([]);
  });
});

describe('/admin/pipeline actions', () => {
  it('retry posts to the dead letter it names', async () => {
    const { result, calls } = await act(
      'retry',
      admin,
      { 'POST /api/v1/admin/dead-letters/{id}/retry': { status: 202, body: { ok: true } } },
      [['id', '5']],
    );
    expect(await result).toEqual({ retried: 5 });
    expect(calls).toEqual([{ method: 'POST', path: '/api/v1/admin/dead-letters/{id}/retry', init: { params: { path: { id: 5 } } } }]);
  });

  it('says why a retry was refused (already retried), next to that row', async () => {
    const detail = 'This job was already retried; if it fails again it comes back here';
    const { result } = await act(
      'retry',
      admin,
      {
        'POST /api/v1/admin/dead-letters/{id}/retry': {
          status: 400,
          body: { ...problem(400, 'VALIDATION_FAILED', detail).body, errors: { id: 'already retried' } },
        },
      },
      [['id', '5']],
    );
    expect(await result).toMatchObject({ status: 400, data: { message: detail, values: { id: '5' } } });
  });

  it('says when the dead letter is gone', async () => {
    const { result } = await act(
      'retry',
      admin,
      { 'POST /api/v1/admin/dead-letters/{id}/retry': problem(404, 'NOT_FOUND', 'No dead letter 9') },
      [['id', '9']],
    );
    expect(await result).toMatchObject({ status: 404, data: { message: 'No dead letter 9' } });
  });

  it('refuses a retry without an id, without calling the API', async () => {
    const { result, calls } = await act('retry', admin, {}, [['id', 'abc']]);
    expect(await result).toMatchObject({ status: 400, data: { message: 'Choose a job to retry' } });
    expect(calls).toEqual([]);
  });

  it('reindex asks the API to rebuild the search index', async () => {
    const { result, calls } = await act('reindex', admin, { 'POST /api/v1/admin/search/reindex': { status: 202, body: { ok: true } } });
    expect(await result).toEqual({ reindexing: true });
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(['POST /api/v1/admin/search/reindex']);
  });

  it('reports a server fault on reindex as a failed form', async () => {
    const { result } = await act('reindex', admin, {
      'POST /api/v1/admin/search/reindex': { status: 500, body: { type: 'x', title: 'Internal', status: 500, code: 'INTERNAL' } },
    });
    expect(await result).toMatchObject({
      status: 400,
      data: { message: 'The server could not complete this. Please try again in a moment.' },
    });
  });

  it('is a 404 for members and sends anonymous visitors to sign in', async () => {
    await expect((await act('retry', viewer, {}, [['id', '5']])).result).rejects.toMatchObject({ status: 404 });
    await expect((await act('reindex', null, {})).result).rejects.toMatchObject({
      status: 303,
      location: '/login?next=%2Fadmin%2Fpipeline',
    });
  });
});
