export * from './viewer.js';
export * from './policy.js';
export * from './markdown.js';
export * from './text.js';
export * from './notifications.js';
