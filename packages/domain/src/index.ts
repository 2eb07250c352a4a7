export * from './viewer.js';
export * from './policy.js';
export * from './markdown.js';
export * from './text.js';
export * from './notifications.js';
export * from './experts/types.js';
export * from './experts/ladder.js';
export * from './experts/index.js';
