import fs from 'node:fs';
import path from 'node:path';
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
});
