// esbuild plugins that make Ink cheaper for the desktop's bundle (scripts/build.mjs; the
// bench's bundles of the desktop too, never its bare Ink hello).
import fs from 'node:fs';
import path from 'node:path';

const narrowWidth = path.resolve('src/runtime/cell-width.ts');

// An esbuild plugin: every `string-width` the bundle imports (Ink's, wrap-ansi's own copy)
// first counts the cells of text made only of the narrow characters this desktop draws
// (src/runtime/cell-width.ts) and asks the real package only for anything else. The real one
// segments graphemes and compiles emoji regexes on its first non-ASCII string, 20 to 50 ms of
// the main window's first frame.
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

// An esbuild plugin: Ink builds every frame from scratch, and with it a new cache of each line's
// tokens and widths (ink/build/output.js), so a key that changes one line re-tokenizes the
// other 29 (about half of a frame's 5 ms at 100x30). The cache is kept from frame to frame
// instead; the cached values are never modified, and it starts again past 4,000 lines (a clock
// line a second).
export const sharedOutputCaches = {
  name: 'shared-output-caches',
  setup(b) {
    b.onLoad({ filter: /[\\/]ink[\\/]build[\\/]output\.js$/ }, (args) => {
      const source = fs.readFileSync(args.path, 'utf8');
      const field = 'caches = new OutputCaches();';
      // A newer Ink laid out otherwise: build it as it is rather than guess.
      if (!source.includes(field)) return undefined;
      return {
        loader: 'js',
        resolveDir: path.dirname(args.path),
        contents: `${source.replace(field, 'caches = sharedOutputCaches();')}
let sharedCaches;
function sharedOutputCaches() {
  if (!sharedCaches || sharedCaches.styledChars.size + sharedCaches.widths.size > 4000) sharedCaches = new OutputCaches();
  return sharedCaches;
}
`,
      };
    });
  },
};

// Characters that join neither the character before nor the one after into one grapheme cluster
// (UAX #29: none of them is CR, Extend, ZWJ, SpacingMark, Prepend, a regional indicator or
// Hangul): ASCII, Latin, general punctuation, letterlike symbols, arrows, box drawing, shapes.
const LONE_GRAPHEMES = `
function breaksAround(c) {
  return c < 0x300 || (c >= 0x2010 && c <= 0x2027) || (c >= 0x2030 && c <= 0x205f) || (c >= 0x2070 && c <= 0x20cf) || (c >= 0x2100 && c <= 0x2bff);
}
function loneGrapheme(string, index) {
  const c = string.charCodeAt(index);
  if (c === 13 || c === 10 || !breaksAround(c)) return undefined;
  if (index > 0 && !breaksAround(string.charCodeAt(index - 1))) return undefined;
  if (index + 1 < string.length && !breaksAround(string.charCodeAt(index + 1))) return undefined;
  return { segment: string[index], index };
}
function graphemesOf(segmenter, string) {
  for (let i = 0; i < string.length; i++) {
    const c = string.charCodeAt(i);
    if (c === 13 || !breaksAround(c)) return segmenter.segment(string);
  }
  const out = new Array(string.length);
  for (let i = 0; i < string.length; i++) out[i] = { segment: string[i], index: i };
  return out;
}
`;

/** An esbuild load hook that rewrites a file of a package, or builds it as it is if it is laid out otherwise. */
function rewrite(filter, edits) {
  return (b) =>
    b.onLoad({ filter }, (args) => {
      let source = fs.readFileSync(args.path, 'utf8');
      for (const [from, to] of edits) {
        // A newer version laid out otherwise: build it as it is rather than guess.
        if (!source.includes(from)) return undefined;
        source = source.replace(from, to);
      }
      return { loader: 'js', resolveDir: path.dirname(args.path), contents: `${source}\n${LONE_GRAPHEMES}` };
    });
}

// An esbuild plugin: slice-ansi (Ink clips text to a box with it, in every frame) asks
// Intl.Segmenter's `containing()` for the grapheme at each character of the line, which costs
// tens of ms on the main window's first frame. A character that can join neither neighbour is a
// segment by itself; only other characters are still asked of the segmenter. Widths are still
// the package's own.
export const fastSliceAnsi = {
  name: 'fast-slice-ansi',
  setup: rewrite(/[\\/]slice-ansi[\\/]tokenize-ansi\.js$/, [
    ['const segment = graphemeSegments.containing(index);', 'const segment = loneGrapheme(string, index) ?? graphemeSegments.containing(index);'],
  ]),
};

// An esbuild plugin for @alcalzone/ansi-tokenize, which Ink builds each line of a frame with:
// a line made only of characters that join no neighbour is not run through Intl.Segmenter
// (each character is its own grapheme), and between two characters of the same styles no
// difference of styles is computed (it is empty: three Sets a character, 3,000 characters a
// frame at 100x30).
export const fastAnsiTokenize = {
  name: 'fast-ansi-tokenize',
  setup(b) {
    rewrite(/[\\/]@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]tokenize\.js$/, [
      ['for (const { segment, index } of segmenter.segment(str)) {', 'for (const { segment, index } of graphemesOf(segmenter, str)) {'],
    ])(b);
    rewrite(/[\\/]@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]styledChars\.js$/, [
      [
        'ret += ansiCodesToString(diffAnsiCodes(chars[i - 1].styles, char.styles));',
        'if (!sameStyles(chars[i - 1].styles, char.styles)) ret += ansiCodesToString(diffAnsiCodes(chars[i - 1].styles, char.styles));',
      ],
      [
        'export function styledCharsToString(chars) {',
        `function sameStyles(a, b) {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i].code !== b[i].code || a[i].endCode !== b[i].endCode) return false;
  return true;
}
export function styledCharsToString(chars) {`,
      ],
    ])(b);
  },
};

// An esbuild plugin for yoga-layout, Ink's layout engine (WebAssembly, 90 KB, embedded in base64):
// its loader decodes the bytes with fetch() on a data: URL, which loads Node's whole fetch
// implementation (undici, 15 to 20 ms), and compiles them asynchronously, so what follows runs
// from a V8 platform task (see src/runtime/desktop.ts). The bytes are decoded as its own
// fallback does, and compiled at once, Liftoff taking a few ms.
export const syncYoga = {
  name: 'sync-yoga',
  setup(b) {
    b.onLoad({ filter: /[\\/]yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/ }, (args) => {
      let source = fs.readFileSync(args.path, 'utf8');
      const edits = [
        ['function ya(){return w||"function"!=typeof fetch?', 'function ya(){return true?'],
        [
          'return ya().then(function(f){return WebAssembly.instantiate(f,d)})',
          'return ya().then(function(f){var m=new WebAssembly.Module(f);return{module:m,instance:new WebAssembly.Instance(m,d)}})',
        ],
      ];
      for (const [from, to] of edits) {
        // A newer yoga-layout laid out otherwise: build it as it is rather than guess.
        if (source.split(from).length !== 2) return undefined;
        source = source.replace(from, to);
      }
      return { loader: 'js', resolveDir: path.dirname(args.path), contents: source };
    });
  },
};
