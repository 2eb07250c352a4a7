import { afterEach, describe, expect, it, vi } from 'vitest';
import { rateLimited } from './log.js';

describe('rateLimited', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('logs each message at most once per interval', () => {
    vi.useFakeTimers({ now: 0 });
    const logged: string[] = [];
    const log = rateLimited((message) => logged.push(message), 1000);
    log('redis down');
    log('redis down');
    log('worker restarted');
    vi.setSystemTime(1000);
    log('redis down');
    expect(logged).toEqual(['redis down', 'worker restarted', 'redis down']);
  });
});
