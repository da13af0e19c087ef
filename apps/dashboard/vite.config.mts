import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The dashboard is served by the admin API at / (apps/admin-api/src/http/dashboard-static.ts):
// hashed files under /assets/ are cached as immutable, index.html is revalidated on each load.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    // One app bundle (React, Mantine, TanStack Query, the app): about 810 kB, 240 kB gzipped.
    chunkSizeWarningLimit: 1000,
    rolldownOptions: {
      onLog(level, log, handler) {
        // Libraries' "use client" markers mean nothing in a client-only bundle.
        if (log.code === 'MODULE_LEVEL_DIRECTIVE') return;
        handler(level, log);
      },
    },
  },
  // `npx vite apps/dashboard` serves the sources and sends /api to an admin API on port 3000.
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
