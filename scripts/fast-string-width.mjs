// An esbuild plugin: every `string-width` the bundle imports (Ink's, wrap-ansi's own copy)
// first counts the cells of text made only of the narrow characters this desktop draws
// (src/runtime/cell-width.ts) and asks the real package only for anything else. The real one
// segments graphemes and compiles emoji regexes on its first non-ASCII string, 20 to 50 ms of
// the main window's first frame.
import path from 'node:path';

const narrowWidth = path.resolve('src/runtime/cell-width.ts');

export const fastStringWidth = {
  name: 'fast-string-width',
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, async (args) => {
      if (args.pluginData === 'real') return undefined;
      const real = await b.resolve('string-width', { resolveDir: args.resolveDir, kind: args.kind, pluginData: 'real' });
      if (real.errors.length) return { errors: real.errors };
      return { path: real.path, namespace: 'fast-string-width' };
    });
    b.onLoad({ filter: /.*/, namespace: 'fast-string-width' }, (args) => ({
      resolveDir: path.dirname(args.path),
      loader: 'js',
      contents: [
        `import realStringWidth from ${JSON.stringify(args.path)};`,
        `import { narrowWidth } from ${JSON.stringify(narrowWidth)};`,
        'export default function stringWidth(text, options) {',
        "  const n = options === undefined && typeof text === 'string' ? narrowWidth(text) : null;",
        '  return n ?? realStringWidth(text, options);',
        '}',
      ].join('\n'),
    }));
  },
};
