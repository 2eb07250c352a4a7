export * from './types.js';
export * from './rank.js';
export * from './history.js';
export * from './learned.js';
