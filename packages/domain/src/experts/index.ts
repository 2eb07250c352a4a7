export * from './types.js';
export * from './rank.js';
