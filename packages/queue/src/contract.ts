// The behaviour every JobQueue adapter must have; each adapter's test file runs it.
import { afterEach, describe, expect, it } from 'vitest';
import type { FailedJob, Job, JobQueue, QueueCounts } from './types.js';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls until `condition` holds; the generous timeout keeps slow, shared machines from flaking. */
export async function waitFor(condition: () => boolean | Promise<boolean>, what = 'condition', timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

/** A promise the test resolves by hand, to hold a job in its processor. */
export function gate(): { opened: Promise<void>; open: () => void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

export const isIdle = (counts: QueueCounts) => counts.waiting + counts.active + counts.delayed === 0;

export function describeJobQueueContract(name: string, makeQueue: () => Promise<JobQueue>): void {
  describe(`JobQueue contract: ${name}`, () => {
    const opened: JobQueue[] = [];
    async function openQueue(): Promise<JobQueue> {
      const queue = await makeQueue();
      opened.push(queue);
      return queue;
    }
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((queue) => queue.close()));
    });

    it('runs an added job with its id, name, data and attempt', async () => {
      const queue = await openQueue();
      const seen: Job[] = [];
      queue.process('search', async (job) => {
        seen.push(job);
        return 'done';
      });
      await queue.add('search', 'search.index-thread', { threadId: 7 }, { jobId: '42:search.index-thread' });

      await waitFor(() => seen.length === 1, 'the job to run');
      expect(seen[0]).toEqual({
        id: '42:search.index-thread',
        queue: 'search',
        name: 'search.index-thread',
        data: { threadId: 7 },
        attempt: 1,
        maxAttempts: 5,
      });
      expect(() => queue.process('search', async () => 'done')).toThrow();
    });

    it('ignores a job id that is already waiting, active or recently completed', async () => {
      const queue = await openQueue();
      await queue.add('events', 'event.relay', { n: 1 }, { jobId: '42' });
      await queue.add('events', 'event.relay', { n: 2 }, { jobId: '42' });
      expect(await queue.counts('events')).toMatchObject({ waiting: 1 });

      const runs: unknown[] = [];
      const release = gate();
      queue.process('events', async (job) => {
        runs.push(job.data);
        if (job.id === '42') await release.opened;
        return 'done';
      });
      await waitFor(() => runs.length === 1, 'the job to start');
      await queue.add('events', 'event.relay', { n: 3 }, { jobId: '42' });
      expect(await queue.counts('events')).toMatchObject({ waiting: 0, active: 1 });
      release.open();
      await waitFor(async () => isIdle(await queue.counts('events')), 'the job to complete');

      await queue.add('events', 'event.relay', { n: 4 }, { jobId: '42' });
      // One job at a time, in order: had the re-add been taken, it would run before this one.
      await queue.add('events', 'event.relay', { n: 'after' }, { jobId: '43' });
      await waitFor(() => runs.length === 2, 'the next job to run');
      expect(runs).toEqual([{ n: 1 }, { n: 'after' }]);
    });

    it('adds jobs in bulk to several queues', async () => {
      const queue = await openQueue();
      const seen: string[] = [];
      const record = async (job: Job) => {
        seen.push(`${job.queue}/${job.name}/${job.id}`);
        return 'done' as const;
      };
      queue.process('notify', record);
      queue.process('email', record);
      await queue.addBulk([
        { queue: 'notify', name: 'notify.mention', data: {}, options: { jobId: '7:notify.mention' } },
        { queue: 'notify', name: 'notify.reply', data: {}, options: { jobId: '7:notify.reply' } },
        { queue: 'email', name: 'email.digest', data: {}, options: { jobId: 'digest-2026-11-23' } },
      ]);

      await waitFor(() => seen.length === 3, 'the three jobs to run');
      expect(seen.sort()).toEqual([
        'email/email.digest/digest-2026-11-23',
        'notify/notify.mention/7:notify.mention',
        'notify/notify.reply/7:notify.reply',
      ]);
    });

    it('never runs more jobs of a queue at once than its concurrency', async () => {
      const queue = await openQueue();
      const release = gate();
      let running = 0;
      let maxRunning = 0;
      let finished = 0;
      queue.process(
        'search',
        async () => {
          running += 1;
          maxRunning = Math.max(maxRunning, running);
          await release.opened;
          running -= 1;
          finished += 1;
          return 'done';
        },
        { concurrency: 2 },
      );
      for (let n = 1; n <= 5; n++) await queue.add('search', 'search.index-thread', { n }, { jobId: `thread-${n}` });

      await waitFor(() => running === 2, 'two jobs to run');
      await sleep(100); // room for a third job to start if the limit were not enforced
      expect(running).toBe(2);
      expect(await queue.counts('search')).toMatchObject({ waiting: 3, active: 2 });
      release.open();
      await waitFor(() => finished === 5, 'all jobs to finish');
      expect(maxRunning).toBe(2);
    });

    it('retries a failing job with exponential backoff until it succeeds', async () => {
      const queue = await openQueue();
      const failures: FailedJob[] = [];
      queue.onFinalFailure((failed) => {
        failures.push(failed);
      });
      const attempts: Array<{ attempt: number; at: number }> = [];
      queue.process('notify', async (job) => {
        attempts.push({ attempt: job.attempt, at: Date.now() });
        if (job.attempt < 3) throw new Error(`flaky ${job.attempt}`);
        return 'done';
      });
      const backoffMs = 20;
      await queue.add('notify', 'notify.mention', {}, { jobId: '9:notify.mention', attempts: 5, backoffMs });

      await waitFor(async () => attempts.length === 3 && isIdle(await queue.counts('notify')), 'the third attempt to complete');
      expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
      // Lower bounds only (a slow machine makes gaps longer, never shorter); 5 ms for clock rounding.
      const [first, second, third] = attempts.map((a) => a.at) as [number, number, number];
      expect(second - first).toBeGreaterThanOrEqual(backoffMs - 5);
      expect(third - second).toBeGreaterThanOrEqual(2 * backoffMs - 5);
      expect(failures).toEqual([]);
      expect(await queue.counts('notify')).toMatchObject({ failed: 0 });
    });

    it('reports a job that failed its last attempt once, with the error', async () => {
      const queue = await openQueue();
      const failures: FailedJob[] = [];
      queue.onFinalFailure((failed) => {
        failures.push(failed);
      });
      const attempts: number[] = [];
      queue.process('email', async (job) => {
        attempts.push(job.attempt);
        throw new Error('smtp down');
      });
      await queue.add('email', 'email.send', { to: 'ada@example.test' }, { jobId: '7:email.send', attempts: 3, backoffMs: 10 });

      await waitFor(() => failures.length > 0, 'the final failure');
      await waitFor(async () => isIdle(await queue.counts('email')), 'the queue to settle');
      expect(attempts).toEqual([1, 2, 3]);
      expect(failures).toEqual([
        { queue: 'email', name: 'email.send', jobId: '7:email.send', data: { to: 'ada@example.test' }, error: 'smtp down', attempts: 3 },
      ]);
      expect(await queue.counts('email')).toMatchObject({ failed: 1 });
    });

    it('does not retry a skipped job', async () => {
      const queue = await openQueue();
      let calls = 0;
      queue.process('search', async () => {
        calls += 1;
        return 'skipped:thread-deleted';
      });
      await queue.add('search', 'search.index-thread', {}, { jobId: '5:search.index-thread', attempts: 3, backoffMs: 20 });

      // A retry would keep the job delayed or waiting until its second run.
      await waitFor(async () => calls > 0 && isIdle(await queue.counts('search')), 'the job to complete');
      expect(calls).toBe(1);
      expect(await queue.counts('search')).toMatchObject({ failed: 0 });
    });

    it('runs a delayed job only after its delay', async () => {
      const queue = await openQueue();
      const runs: string[] = [];
      queue.process('notify', async (job) => {
        runs.push(job.id);
        return 'done';
      });
      await queue.add('notify', 'notify.escalate', {}, { jobId: 'later', delayMs: 1500 });
      await queue.add('notify', 'notify.escalate', {}, { jobId: 'now' });

      await waitFor(() => runs.length === 1, 'the job without delay to run');
      expect(runs).toEqual(['now']);
      expect(await queue.counts('notify')).toMatchObject({ delayed: 1 });
      await waitFor(() => runs.length === 2, 'the delayed job to run');
      expect(runs).toEqual(['now', 'later']);
    });

    it('runs a schedule repeatedly, and scheduling the same name again replaces it', async () => {
      const queue = await openQueue();
      const runs: Array<{ name: string; version: unknown }> = [];
      queue.process('maintenance', async (job) => {
        runs.push({ name: job.name, version: (job.data as { version: number }).version });
        return 'done';
      });
      const versions = () => runs.map((run) => run.version);

      await queue.schedule('maintenance', 'maintenance.reconcile', 50, { version: 1 });
      await waitFor(() => runs.length >= 2, 'two runs');
      await queue.schedule('maintenance', 'maintenance.reconcile', 50, { version: 2 });
      await waitFor(() => versions().filter((version) => version === 2).length >= 3, 'three runs of the new schedule');

      // A duplicate schedule would keep producing version-1 runs.
      expect(versions().slice(versions().indexOf(2))).not.toContain(1);
      expect(new Set(runs.map((run) => run.name))).toEqual(new Set(['maintenance.reconcile']));
    });

    it('counts waiting, active, delayed and failed jobs', async () => {
      const queue = await openQueue();
      await queue.add('search', 'search.index-thread', {}, { jobId: 'hold' });
      await queue.add('search', 'search.index-thread', {}, { jobId: 'fail', attempts: 1 });
      await queue.add('search', 'search.index-thread', {}, { jobId: 'far', delayMs: 60_000 });
      expect(await queue.counts('search')).toEqual({ waiting: 2, active: 0, delayed: 1, failed: 0 });

      const release = gate();
      let started = 0;
      queue.process('search', async (job) => {
        started += 1;
        if (job.id === 'fail') throw new Error('index unavailable');
        await release.opened;
        return 'done';
      });
      await waitFor(() => started === 1, 'the first job to start');
      expect(await queue.counts('search')).toEqual({ waiting: 1, active: 1, delayed: 1, failed: 0 });
      release.open();
      await waitFor(async () => (await queue.counts('search')).failed === 1, 'the second job to fail');
      expect(await queue.counts('search')).toEqual({ waiting: 0, active: 0, delayed: 1, failed: 1 });
    });

    it('closes only after the running job has finished', async () => {
      const queue = await openQueue();
      const release = gate();
      let started = false;
      let sideEffectDone = false;
      queue.process('realtime', async () => {
        started = true;
        await release.opened;
        sideEffectDone = true;
        return 'done';
      });
      await queue.add('realtime', 'realtime.publish', {}, { jobId: '11:realtime.publish' });
      await waitFor(() => started, 'the job to start');

      let closed = false;
      const closing = queue.close().then(() => (closed = true));
      await sleep(50);
      expect(closed).toBe(false);
      release.open();
      await closing;
      expect(sideEffectDone).toBe(true);
    });
  });
}
