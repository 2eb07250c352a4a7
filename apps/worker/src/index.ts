export { startWorker, type RunningWorker, type WorkerOptions } from './runtime.js';
export { consoleLogger, type WorkerDeps, type Logger } from './deps.js';
export { createMailer, type Mailer } from './email/mailer.js';
export { rebuildSearchIndex } from './handlers/search/reindex-all.js';
