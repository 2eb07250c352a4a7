export * from './types.js';
export * from './message.js';
export * from './in-process-bus.js';
export * from './redis-bus.js';
export * from './create-event-bus.js';
export * from './access.js';
