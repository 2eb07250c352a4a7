import { fileURLToPath } from 'node:url';
import { start } from './start.js';

// One process, one port: API, web app and the worker (in-process queue, embedded search).
const webBuildDir = process.env.WEB_BUILD_DIR ?? fileURLToPath(new URL('../../web/build', import.meta.url));
const workerEntry = fileURLToPath(new URL('../../worker/dist/index.js', import.meta.url));
await start({ webBuildDir, workerEntry });
