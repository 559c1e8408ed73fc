import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The agent web app. Vite 8 transforms TSX itself (oxc), so no React plugin is needed: the automatic
 * JSX runtime is configured here. Output goes to dist/web, which the server serves at `/`.
 */
export default defineConfig(({ command }) => {
  // A build is always a production build, also when run under jest (NODE_ENV=test): React's
  // development code is several times slower and is not what agents get.
  if (command === 'build') process.env.NODE_ENV = 'production';
  return {
    root,
    base: '/',
    oxc: { jsx: { runtime: 'automatic' } },
    build: {
      outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
      emptyOutDir: true,
      target: 'es2022',
      sourcemap: false,
      chunkSizeWarningLimit: 600,
      reportCompressedSize: true,
      rolldownOptions: {
        onwarn(warning, warn) {
          // react-router's "use client" markers mean nothing in a client-only bundle.
          if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
          warn(warning);
        },
      },
    },
    server: {
      // `npx vite --config apps/web/vite.config.ts` during development: API and socket.io are the server's.
      proxy: {
        '/api': 'http://localhost:3000',
        '/socket.io': { target: 'ws://localhost:3000', ws: true },
      },
    },
  };
});
