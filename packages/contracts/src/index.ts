export * from './errors.js';
export * from './events.js';
export * from './http.js';
export * from './notification-kinds.js';
export * from './text.js';
