export interface DebouncedTask {
  /** Runs the task `delayMs` after the first call since the last run. */
  schedule(): void;
  /** Runs the task now if it was scheduled (or failed last time), and waits for it. */
  flush(): Promise<void>;
}

/**
 * A run may block the event loop for as long as it takes (a snapshot serializes the whole index: seconds
 * at 100k posts), so runs are spaced by at least this many times the last run's duration.
 */
const SPACING = 10;

/**
 * Coalesces bursts of writes into one run, `delayMs` after the first (or longer, see SPACING); runs never
 * overlap. A failed run is reported and retried by the next schedule() or flush().
 */
export function debounce(task: () => Promise<void>, delayMs: number, onError: (error: unknown) => void): DebouncedTask {
  let timer: NodeJS.Timeout | undefined;
  let pending = false;
  let running: Promise<void> = Promise.resolve();
  let lastDurationMs = 0;

  const run = (): Promise<void> => {
    running = running.then(async () => {
      if (!pending) return;
      pending = false;
      const start = performance.now();
      try {
        await task();
      } catch (error) {
        pending = true;
        onError(error);
      }
      lastDurationMs = performance.now() - start;
    });
    return running;
  };

  return {
    schedule() {
      pending = true;
      if (timer !== undefined) return;
      timer = setTimeout(
        () => {
          timer = undefined;
          void run();
        },
        Math.max(delayMs, lastDurationMs * SPACING),
      );
      // A pending snapshot must not keep the process alive; close() flushes it.
      timer.unref();
    },
    flush() {
      clearTimeout(timer);
      timer = undefined;
      return run();
    },
  };
}
