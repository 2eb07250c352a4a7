import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** The file's text, or undefined when there is none. */
export async function readOptionalFile(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
    throw error;
  }
}

let tempCounter = 0;

/** Readers see the old file or the new one, never a half-written one. */
export async function writeFileAtomically(path: string, data: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.${++tempCounter}.tmp`;
  try {
    await writeFile(temp, data);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

export interface DebouncedTask {
  /** Runs the task `delayMs` after the first call since the last run. */
  schedule(): void;
  /** Runs the task now if it was scheduled (or failed last time), and waits for it. */
  flush(): Promise<void>;
}

/**
 * Coalesces bursts of writes into one run; runs never overlap. A failed run is reported and retried by
 * the next schedule() or flush().
 */
export function debounce(task: () => Promise<void>, delayMs: number, onError: (error: unknown) => void): DebouncedTask {
  let timer: NodeJS.Timeout | undefined;
  let pending = false;
  let running: Promise<void> = Promise.resolve();

  const run = (): Promise<void> => {
    running = running.then(async () => {
      if (!pending) return;
      pending = false;
      try {
        await task();
      } catch (error) {
        pending = true;
        onError(error);
      }
    });
    return running;
  };

  return {
    schedule() {
      pending = true;
      if (timer !== undefined) return;
      timer = setTimeout(() => {
        timer = undefined;
        void run();
      }, delayMs);
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
