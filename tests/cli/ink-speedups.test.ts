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

  it('slices text exactly as slice-ansi does, with or without its grapheme segmenter', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cbd-slice-'));
    const outfile = path.join(dir, 'slice.mjs');
    const { fastSliceAnsi } = await import(path.resolve('scripts/ink-speedups.mjs') as string);
    await build({
      stdin: { contents: "export { default } from 'slice-ansi';", resolveDir: process.cwd() },
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      plugins: [fastSliceAnsi],
      logLevel: 'error',
    });
    expect(fs.readFileSync(outfile, 'utf8')).toContain('loneGrapheme');
    const fast = (await import(outfile)).default as typeof sliceAnsi;
    // ASCII, box drawing, marks that join the character before, ZWJ emoji, flags, Hangul, CRLF, wide.
    const pieces = ['a', 'Z', ' ', '│', '─', '●', '✓', '⚠', '…', '·', 'é', '\u0301', '\u20dd', '\u200d', '\ufe0f', '👍', '👩\u200d💻', '🇫🇷', '\u1100\u1161', '\r\n', '\r', '\n', '漢', '\u0600', '\x1b[31m', '\x1b[1m', '\x1b[39m', '\x1b[0m', '\x1b]8;;http://x\x07', '\x1b]8;;\x07'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 30 }), fc.nat(40), fc.nat(40), (parts, a, b) => {
        const text = parts.join('');
        expect(fast(text, Math.min(a, b), Math.max(a, b))).toBe(sliceAnsi(text, Math.min(a, b), Math.max(a, b)));
      }),
      { numRuns: 2000 },
    );
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
