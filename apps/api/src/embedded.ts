import { fileURLToPath } from 'node:url';
import { start } from './start.js';

// One process, one port: API, web app (and, with the pipeline issue, the in-process worker).
const webBuildDir = process.env.WEB_BUILD_DIR ?? fileURLToPath(new URL('../../web/build', import.meta.url));
await start({ webBuildDir });
