import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    // adapter-node: the API's embedded mode mounts build/handler.js on its own port.
    adapter: adapter({ out: 'build' }),
    // The embedded API hands requests to handler.js without ORIGIN/PROTOCOL_HEADER, so SvelteKit would
    // see every request as https://<host> and refuse same-site form posts. hooks.server.ts checks the
    // Origin of form submissions itself, against PUBLIC_ORIGIN and the request's own host.
    csrf: { trustedOrigins: ['*'] },
    // Posts are sanitized by the API; the CSP is a second line: only our own scripts (hashed/nonce'd by SvelteKit) run.
    csp: {
      // Hashes, not nonces: one rendered page can be served to every anonymous visitor (the API's page cache).
      mode: 'hash',
      directives: {
        'script-src': ['self'],
        'object-src': ['none'],
        'base-uri': ['self'],
        'form-action': ['self'],
        'frame-ancestors': ['none'],
      },
    },
  },
};

export default config;
