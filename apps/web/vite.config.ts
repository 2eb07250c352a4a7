import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [sveltekit()],
  server: {
    // `vite dev` alone: forward API calls from the browser (e.g. /api/docs) to a running API.
    proxy: { '/api': process.env.API_URL ?? 'http://127.0.0.1:3000' },
  },
});
