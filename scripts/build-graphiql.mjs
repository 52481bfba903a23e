// Bundles the GraphiQL page (src/http/playground) into dist/playground with esbuild, so the server
// serves it from its own files and the browser fetches nothing from elsewhere. Run by `npm run build`.
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

await build({
  absWorkingDir: root,
  entryPoints: { graphiql: 'src/http/playground/graphiql-app.jsx' },
  outdir: 'dist/playground',
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: ['es2020'],
  jsx: 'automatic',
  minify: true,
  define: { 'process.env.NODE_ENV': '"production"' },
  // Licences in a file beside the bundle rather than inside it.
  legalComments: 'linked',
  loader: { '.woff2': 'dataurl', '.png': 'dataurl', '.svg': 'dataurl' },
  logLevel: 'warning',
});
