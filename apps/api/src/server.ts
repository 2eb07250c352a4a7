import { start } from './start.js';

// The API alone (distributed mode): the web app and the worker run as their own processes.
await start();
