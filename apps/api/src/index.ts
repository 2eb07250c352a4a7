export { buildApp } from './app.js';
export type { AppOptions, Clock, Deps } from './context.js';
export { start } from './start.js';
