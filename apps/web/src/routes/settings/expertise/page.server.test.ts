import { describe, expect, it } from 'vitest';
import { communityField } from '$lib/expertise';
import { fakeApi, viewer } from '$lib/server/fake-api';
import { actions } from './+page.server';

async function save(fields: [string, string][], answer: { status: number; body?: unknown }) {
  const { api, calls } = fakeApi({ 'PUT /api/v1/me/expertise': answer });
  const body = new URLSearchParams(fields);
  const request = new Request('http://localhost/settings/expertise', {
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

const valid: [string, string][] = [
  ['weeklyCap', '5'],
  ['quietStart', ''],
  ['quietEnd', ''],
  ['timeZone', 'UTC'],
  ['communities', 'brewing'],
  [communityField('brewing', 'matching'), 'in'],
  [communityField('brewing', 'wanted'), 'hops, Water'],
  [communityField('brewing', 'muted'), ''],
];

describe('/settings/expertise save', () => {
  it('sends the whole form as one PUT and says it is saved', async () => {
    const { result, calls } = await save(valid, { status: 200, body: {} });
    expect(result).toEqual({ saved: true });
    expect(calls[0]).toMatchObject({
      method: 'PUT',
      init: {
        body: {
          weeklyCap: 5,
          quietHours: null,
          timeZone: 'UTC',
          communities: [{ slug: 'brewing', matching: 'in', wantedTags: ['hops', 'water'], mutedTags: [] }],
        },
      },
    });
  });

  it('puts the API’s field errors next to the community they are about', async () => {
    const { result } = await save(valid, {
      status: 400,
      body: {
        status: 400,
        title: 'The request is not valid',
        code: 'VALIDATION_FAILED',
        errors: { 'communities.0.wantedTags': '“hops” is both wanted and muted' },
      },
    });
    expect(result).toMatchObject({
      status: 400,
      data: {
        errors: { [communityField('brewing', 'wanted')]: '“hops” is both wanted and muted' },
        values: { [communityField('brewing', 'wanted')]: 'hops, Water' },
      },
    });
  });

  it('refuses what the API would refuse without calling it', async () => {
    const { result, calls } = await save(
      [
        ['weeklyCap', 'lots'],
        ['timeZone', 'UTC'],
      ],
      { status: 200 },
    );
    expect(result).toMatchObject({ status: 400, data: { errors: { weeklyCap: expect.stringContaining('0 to 100') } } });
    expect(calls).toEqual([]);
  });
});
