import { describe, expect, it } from 'vitest';
import { createJobQueue } from './index.js';

describe('createJobQueue', () => {
  it('picks BullMQ when a Redis URL is set, else the in-process queue', async () => {
    const inProcess = createJobQueue();
    const bullmq = createJobQueue({ redisUrl: 'redis://127.0.0.1:6379', prefix: 'praxis-test-unused' });
    expect([inProcess.kind, bullmq.kind]).toEqual(['in-process', 'bullmq']);
    await Promise.all([inProcess.close(), bullmq.close()]);
  });
});
