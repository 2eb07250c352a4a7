export * from './errors.js';
export * from './events.js';
export * from './http.js';
export * from './text.js';
