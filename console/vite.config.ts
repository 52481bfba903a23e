// Builds the console (console/) into dist/console; run by `npm run build` as `vite build console`.
// Everything the page needs is bundled: the server's CSP lets it load nothing from elsewhere.
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/',
  publicDir: false,
  // Vite 8 compiles TSX with oxc; React's automatic runtime, no plugin needed for a production build.
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: '../dist/console',
    emptyOutDir: true,
    assetsDir: 'assets',
    // The preload polyfill would be an inline script, which the CSP refuses.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      // React Flow marks its modules "use client" (for React Server Components); meaningless in a browser bundle.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  logLevel: 'warn',
});
