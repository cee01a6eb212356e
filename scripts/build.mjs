// Bundles the CLI into one ESM file so the bin starts fast (one file to load, no resolution).
import fs from 'node:fs';
import { build } from 'esbuild';
import { fastAnsiTokenize, fastSliceAnsi, fastStringWidth, sharedOutputCaches, syncYoga } from './ink-speedups.mjs';

// Chunk names carry content hashes: start clean so no stale chunk is left beside the new ones.
fs.rmSync('dist', { recursive: true, force: true });

await build({
  // dist/cli.js, plus chunks that load on demand (the windows, the scripting commands): code
  // the first frame does not need is not even parsed at start-up.
  entryPoints: { cli: 'src/main.ts' },
  outdir: 'dist',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Native addon and data package stay in node_modules, loaded at run time; Ink loads
  // react-devtools-core only when DEV=true, and it is not installed.
  // Native addon, data package, and the two libraries loaded on first use (not at start-up).
  external: ['better-sqlite3', 'moment-timezone', 'chrono-node', 'libphonenumber-js'],
  plugins: [
    fastStringWidth,
    fastSliceAnsi,
    fastAnsiTokenize,
    syncYoga,
    sharedOutputCaches,
    {
      name: 'no-ink-devtools',
      setup(b) {
        b.onResolve({ filter: /^\.\/devtools\.js$/ }, (args) =>
          args.importer.includes(`${'ink'}/build`) ? { path: 'ink-devtools', namespace: 'stub' } : undefined,
        );
        b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export {};', loader: 'js' }));
      },
    },
  ],
  define: { 'process.env.NODE_ENV': '"production"' },
  banner: { js: "import { createRequire as __cbdCreateRequire } from 'node:module'; const require = __cbdCreateRequire(import.meta.url);" },
  logLevel: 'warning',
  legalComments: 'none',
  minify: process.env.NO_MINIFY ? false : true,
  sourcemap: 'linked',
});
