import { describe, expect, it } from 'vitest';
import { fakeApi, viewer } from '$lib/server/fake-api';
import { actions } from './+page.server';

const current = { emailNotifications: 'away', emailDigest: 'daily', emailMutedKinds: ['mention', 'some_future_kind'] };

async function save(fields: [string, string][]) {
  const { api, calls } = fakeApi({
    'GET /api/v1/me/notification-settings': { status: 200, body: current },
    'PATCH /api/v1/me/notification-settings': (init) => ({ status: 200, body: (init as { body: unknown }).body }),
  });
  const body = new URLSearchParams(fields);
  const request = new Request('http://localhost/settings/notifications', {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  const result = await (actions.default as unknown as (e: object) => Promise<unknown>)({
    locals: { api, viewer },
    request,
    url: new URL(request.url),
  });
  return { result, calls };
}

describe('/settings/notifications save', () => {
  it('saves the choices; unticked kinds are muted and unlisted muted kinds are kept', async () => {
    const { result, calls } = await save([
      ['emailNotifications', 'never'],
      ['emailDigest', 'never'],
      ['kinds', 'reply_to_thread'],
      ['kinds', 'mention'],
      ['kinds', 'thread_solved'],
      ['kinds', 'watched_thread_created'],
      ['kinds', 'watched_thread_reply'],
      ['kinds', 'expert_match'],
      ['kinds', 'expert_escalation'],
    ]);
    expect(result).toEqual({ saved: true });
    expect(calls.at(-1)).toMatchObject({
      method: 'PATCH',
      init: {
        body: {
          emailNotifications: 'never',
          emailDigest: 'never',
          emailMutedKinds: ['reply_to_post', 'guide_review', 'guide_credited', 'moderation_notice', 'some_future_kind'],
        },
      },
    });
  });

  it('refuses unknown choices with field errors, without calling the API', async () => {
    const { result, calls } = await save([
      ['emailNotifications', 'sometimes'],
      ['emailDigest', 'weekly'],
    ]);
    expect(result).toMatchObject({
      status: 400,
      data: { errors: { emailNotifications: expect.any(String), emailDigest: expect.any(String) } },
    });
    expect(calls).toEqual([]);
  });
});
