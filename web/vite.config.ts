import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

// `npm run dev:web` proxies API and live calls to an edge server on STIPPLE_URL (default :8080).
const target = process.env.STIPPLE_URL ?? 'http://localhost:8080';

export default defineConfig({
  plugins: [sveltekit()],
  server: {
    fs: { allow: ['..'] },
    proxy: {
      '/api': target,
      '/ws/live': { target: target.replace(/^http/, 'ws'), ws: true },
    },
  },
});
