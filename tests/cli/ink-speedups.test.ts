import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import fc from 'fast-check';
import sliceAnsi from 'slice-ansi';
import { describe, expect, it } from 'vitest';

type OnLoad = (args: { path: string }) => { contents: string } | undefined;

/** The plugin's load hook, taken from its setup as esbuild would call it. */
async function loadHook(name: string): Promise<OnLoad> {
  const mod = await import(path.resolve('scripts/ink-speedups.mjs') as string);
  let hook: OnLoad | undefined;
  mod[name].setup({ onLoad: (_opts: unknown, fn: OnLoad) => (hook = fn), onResolve: () => {} });
  return hook!;
}

describe("the bundle's speed-ups of Ink (scripts/ink-speedups.mjs)", () => {
  it('keeps the installed Ink\'s line cache from frame to frame (the field it rewrites is still there)', async () => {
    const file = path.resolve('node_modules/ink/build/output.js');
    const out = (await loadHook('sharedOutputCaches'))({ path: file });
    expect(out?.contents).toContain('caches = sharedOutputCaches();');
    expect(out?.contents).not.toContain('caches = new OutputCaches();');
    expect(out!.contents.length).toBeGreaterThan(fs.readFileSync(file, 'utf8').length);
  });

  /** The package bundled with the plugin, beside the package as installed. */
  async function bundled<T>(source: string, plugin: string, marker: string): Promise<T> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cbd-speedup-'));
    const outfile = path.join(dir, 'out.mjs');
    const mod = await import(path.resolve('scripts/ink-speedups.mjs') as string);
    await build({ stdin: { contents: source, resolveDir: process.cwd() }, outfile, bundle: true, platform: 'node', format: 'esm', plugins: [mod[plugin]], logLevel: 'error' });
    expect(fs.readFileSync(outfile, 'utf8')).toContain(marker);
    const out = (await import(outfile)) as T;
    fs.rmSync(dir, { recursive: true, force: true });
    return out;
  }

  // ASCII, box drawing, marks that join the character before, ZWJ emoji, flags, Hangul, CRLF, wide, escapes.
  const pieces = ['a', 'Z', ' ', '│', '─', '●', '✓', '⚠', '…', '·', 'é', '\u0301', '\u20dd', '\u200d', '\ufe0f', '👍', '👩\u200d💻', '🇫🇷', '\u1100\u1161', '\r\n', '\r', '\n', '漢', '\u0600', '\x1b[31m', '\x1b[1m', '\x1b[2m', '\x1b[22m', '\x1b[39m', '\x1b[0m', '\x1b[38;5;3m', '\x1b]8;;http://x\x07', '\x1b]8;;\x07'];
  const texts = fc.array(fc.constantFrom(...pieces), { maxLength: 30 }).map((parts) => parts.join(''));

  it('slices text exactly as slice-ansi does, with or without its grapheme segmenter', async () => {
    const fast = (await bundled<{ default: typeof sliceAnsi }>("export { default } from 'slice-ansi';", 'fastSliceAnsi', 'loneGrapheme')).default;
    fc.assert(
      fc.property(texts, fc.nat(40), fc.nat(40), (text, a, b) => {
        expect(fast(text, Math.min(a, b), Math.max(a, b))).toBe(sliceAnsi(text, Math.min(a, b), Math.max(a, b)));
      }),
      { numRuns: 2000 },
    );
  });

  it("tokenizes and styles a line exactly as @alcalzone/ansi-tokenize does (Ink's lines)", async () => {
    type Tok = typeof import('@alcalzone/ansi-tokenize');
    const source = "export { tokenize, styledCharsFromTokens, styledCharsToString } from '@alcalzone/ansi-tokenize';";
    const fast = await bundled<Tok>(source, 'fastAnsiTokenize', 'sameStyles');
    const real = await bundled<Tok>(source, 'sharedOutputCaches', 'tokenize');
    fc.assert(
      fc.property(texts, fc.option(fc.nat(30), { nil: undefined }), (text, end) => {
        const tokens = real.tokenize(text, end);
        expect(fast.tokenize(text, end)).toEqual(tokens);
        const chars = real.styledCharsFromTokens(tokens);
        expect(fast.styledCharsToString(chars)).toBe(real.styledCharsToString(chars));
      }),
      { numRuns: 2000 },
    );
  });

  it('loads yoga without fetch and compiles it at once, laying out as the package does', async () => {
    type YogaModule = { default: typeof import('yoga-layout').default };
    const fast = (await bundled<YogaModule>("export { default } from 'yoga-layout';", 'syncYoga', 'new WebAssembly.Module')).default;
    const real = (await import('yoga-layout')).default;
    const layout = (Y: typeof real) => {
      const root = Y.Node.create();
      root.setWidth(100);
      root.setFlexDirection(Y.FLEX_DIRECTION_ROW);
      const a = Y.Node.create();
      a.setFlexGrow(1);
      const b = Y.Node.create();
      b.setWidth(30);
      root.insertChild(a, 0);
      root.insertChild(b, 1);
      root.calculateLayout(undefined, undefined, Y.DIRECTION_LTR);
      const out = [a.getComputedLayout(), b.getComputedLayout()];
      root.freeRecursive();
      return out;
    };
    expect(layout(fast)).toEqual(layout(real));
    expect(layout(fast)[0].width).toBe(70);
  });
});
