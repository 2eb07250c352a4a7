import { eventNames, eventSchemas } from '@praxis/contracts';
import { describe, expect, it } from 'vitest';
import { checkedEvent, defineHandler, subscriptions, type OutboxEvent } from './dispatch.js';
import { eventHandlers } from './handlers/index.js';
import type { WorkerDeps } from './deps.js';

const event = (type: string, payload: unknown) =>
  ({ id: 7, type, aggregateId: 1, actorId: null, createdAt: '2026-12-04T08:00:00.000Z', payload }) as OutboxEvent;

describe('checked event payloads', () => {
  it('passes an event the handler subscribes to whose payload fits its schema', () => {
    const ok = event('post.deleted', { postId: 1, threadId: 2, by: 3 });
    expect(checkedEvent('search.index-thread', ok)).toBe(ok);
  });

  it('refuses a payload that does not fit, naming what is wrong', () => {
    expect(() => checkedEvent('search.index-thread', event('post.deleted', { postId: '1', threadId: 2 }))).toThrow(
      /event 7 \(post\.deleted\) has a payload that does not fit its schema: .*must have required properties by.*post\.deleted\/postId: must be integer/,
    );
  });

  it('refuses an event the dispatch table does not send to that handler', () => {
    expect(() => checkedEvent('notify.solved', event('post.deleted', { postId: 1, threadId: 2, by: 3 }))).toThrow(
      'handler "notify.solved" got event "post.deleted", which the dispatch table does not send it',
    );
  });

  it('checks before the handler runs: a defined handler never sees a bad payload', async () => {
    const seen: unknown[] = [];
    const handler = defineHandler('notify.solved', {
      queue: 'notify',
      async handle(e) {
        seen.push(e.payload.acceptedBy);
        return 'done';
      },
    });
    await expect(handler.handle(event('solution.accepted', { threadId: 1, postId: 2 }), {} as WorkerDeps)).rejects.toThrow(/acceptedBy/);
    expect(seen).toEqual([]);
    await expect(
      handler.handle(event('solution.accepted', { threadId: 1, postId: 2, acceptedBy: 3, previousPostId: null }), {} as WorkerDeps),
    ).resolves.toBe('done');
    expect(seen).toEqual([3]);
  });

  it('every handler of the registry is defined through defineHandler for the events the table sends it', async () => {
    for (const name of eventNames) {
      for (const id of subscriptions[name]) {
        // An empty payload never fits an event schema with required fields: each handler refuses it before touching deps.
        if (Object.keys(eventSchemas[name].properties).length === 0) continue;
        await expect(eventHandlers[id].handle(event(name, {}), {} as WorkerDeps), `${id} on ${name}`).rejects.toThrow(
          /does not fit its schema/,
        );
      }
    }
  });
});
