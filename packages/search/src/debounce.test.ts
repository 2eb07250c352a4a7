import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { debounce } from './debounce.js';

describe('debounce', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs once for a burst of calls, after the delay', async () => {
    const task = vi.fn(async () => {});
    const saver = debounce(task, 100, () => {});
    saver.schedule();
    saver.schedule();
    await vi.advanceTimersByTimeAsync(99);
    expect(task).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(task).toHaveBeenCalledTimes(1);
  });

  it('spaces runs by ten times the last duration', async () => {
    const task = vi.fn(async () => {
      vi.advanceTimersByTime(50);
    });
    const saver = debounce(task, 100, () => {});
    saver.schedule();
    await saver.flush();
    saver.schedule();
    await vi.advanceTimersByTimeAsync(499);
    expect(task).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(task).toHaveBeenCalledTimes(2);
  });

  it('flushes only when something is pending, and retries a failed run', async () => {
    const errors: unknown[] = [];
    const task = vi.fn<() => Promise<void>>().mockRejectedValueOnce(new Error('disk full')).mockResolvedValue(undefined);
    const saver = debounce(task, 100, (error) => errors.push(error));
    await saver.flush();
    expect(task).not.toHaveBeenCalled();
    saver.schedule();
    await saver.flush();
    expect(errors).toHaveLength(1);
    await saver.flush();
    expect(task).toHaveBeenCalledTimes(2);
    await saver.flush();
    expect(task).toHaveBeenCalledTimes(2);
  });
});
