import type { EventBus, BusMessage } from './types.js';

/** The embedded mode's bus: the worker and the transports live in one process. */
export function createInProcessEventBus(): EventBus {
  const listeners = new Set<(message: BusMessage) => void>();
  return {
    kind: 'in-process',
    async publish(message) {
      for (const listener of listeners) listener(message);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
    },
  };
}
