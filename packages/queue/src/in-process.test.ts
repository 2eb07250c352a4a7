import { describe, expect, it } from 'vitest';
import { describeJobQueueContract, isIdle, waitFor } from './contract.js';
import { createInProcessQueue } from './in-process.js';

describeJobQueueContract('in-process', async () => createInProcessQueue());

describe('in-process queue', () => {
  it('forgets the oldest finished ids beyond its memory', async () => {
    const queue = createInProcessQueue({ rememberFinished: 2 });
    const runs: string[] = [];
    queue.process('events', async (job) => {
      runs.push(job.id);
      return 'done';
    });
    for (const id of ['1', '2', '3']) await queue.add('events', 'event.relay', {}, { jobId: id });
    await waitFor(() => runs.length === 3, 'three runs');

    // '1' was forgotten, '3' is still remembered.
    await queue.add('events', 'event.relay', {}, { jobId: '3' });
    await queue.add('events', 'event.relay', {}, { jobId: '1' });
    await waitFor(async () => runs.length === 4 && isIdle(await queue.counts('events')), 'the re-added job to run');
    expect(runs).toEqual(['1', '2', '3', '1']);
    await queue.close();
  });

  it('refuses new jobs once closed', async () => {
    const queue = createInProcessQueue();
    await queue.close();
    await expect(queue.add('events', 'event.relay', {}, { jobId: '1' })).rejects.toThrow(/closed/);
  });
});
