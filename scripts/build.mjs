// Bundles the CLI into one ESM file so the bin starts fast (one file to load, no resolution).
import { build } from 'esbuild';

await build({
  entryPoints: ['src/main.ts'],
  outfile: 'dist/cli.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Native addon and data package stay in node_modules, loaded at run time; Ink loads
  // react-devtools-core only when DEV=true, and it is not installed.
  // Native addon, data package, and the two libraries loaded on first use (not at start-up).
  external: ['better-sqlite3', 'moment-timezone', 'chrono-node', 'libphonenumber-js'],
  plugins: [
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
