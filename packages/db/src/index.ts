export * from './client.js';
export * from './outbox.js';
export * from './testing.js';
export * as schema from './schema.js';
export * from './schema.js';
export { and, asc, count, desc, eq, gt, gte, ilike, inArray, isNotNull, isNull, lt, lte, ne, not, or, sql } from 'drizzle-orm';
export type { SQL } from 'drizzle-orm';
export * from './viewers.js';
export * from './matching.js';
