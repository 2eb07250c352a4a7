export * from './guides.js';
