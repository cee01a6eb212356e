import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** Every relative import of src/engine, type-only ones included (a type import is a dependency too). */
function engineImports(): Map<string, string[]> {
  const root = path.resolve('src/engine');
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.ts')) files.push(p);
    }
  };
  walk(root);
  const graph = new Map<string, string[]>();
  for (const f of files) {
    const src = fs.readFileSync(f, 'utf8');
    // Import and export declarations, and import('...') in a type (an inline type import).
    const specs = [...src.matchAll(/^(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/gms), ...src.matchAll(/\bimport\(\s*'(\.[^']+)'\s*\)/g)].map((m) => m[1]);
    const deps = specs.map((s) => path.join(path.dirname(f), s.replace(/\.js$/, '.ts')));
    graph.set(path.relative(root, f), deps.map((d) => path.relative(root, d)));
  }
  return graph;
}

function findCycle(graph: Map<string, string[]>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string): string[] | null => {
    if (state.get(n) === 'done') return null;
    if (state.get(n) === 'open') return [...stack.slice(stack.indexOf(n)), n];
    state.set(n, 'open');
    stack.push(n);
    for (const d of graph.get(n) ?? []) {
      const c = visit(d);
      if (c) return c;
    }
    stack.pop();
    state.set(n, 'done');
    return null;
  };
  for (const n of graph.keys()) {
    const c = visit(n);
    if (c) return c;
  }
  return null;
}

describe('the engine\'s import graph', () => {
  const graph = engineImports();

  it('has no cycle', () => {
    expect(findCycle(graph)).toBeNull();
  });

  it('finds a cycle when there is one (the check itself works)', () => {
    expect(findCycle(new Map([['a.ts', ['b.ts']], ['b.ts', ['c.ts']], ['c.ts', ['a.ts']]]))).toEqual(['a.ts', 'b.ts', 'c.ts', 'a.ts']);
  });

  it('has a core, every file of it importing only the core, and every other file a feature', () => {
    const core = new Set(['domain.ts', 'event-queue.ts', 'random.ts', 'world.ts', 'result.ts', 'lifecycle.ts', 'store-port.ts', 'directory-search.ts', 'engine.ts', 'time/time-zones.ts', 'time/zone-rules.ts', 'time/iso-time.ts']);
    // Features register their timers (SimEventMap) and saved state (the dialer's DialerState)
    // from their own files, by declaration merging: no core file imports one.
    for (const [file, deps] of graph) {
      if (!core.has(file)) continue;
      expect(deps.filter((d) => !core.has(d)), `${file} imports a feature`).toEqual([]);
    }
    // Every file of the core is there to be checked (a renamed one would pass unchecked).
    for (const file of core) expect(graph.has(file), file).toBe(true);
    // Every other file is a feature, checked for cycles above; there are many.
    expect([...graph.keys()].filter((f) => !core.has(f)).length).toBeGreaterThan(10);
  });

  it('has a core that imports no feature', () => {
    const core = ['domain.ts', 'event-queue.ts', 'random.ts', 'world.ts', 'result.ts', 'lifecycle.ts', 'store-port.ts', 'directory-search.ts', 'time/time-zones.ts', 'time/zone-rules.ts'];
    expect(graph.get('engine.ts')!.every((d) => core.includes(d))).toBe(true);
    // The directory search is the core's own (a cache over the store's queries), not a feature.
    expect(graph.get('directory-search.ts')!.every((d) => core.includes(d))).toBe(true);
    expect(graph.get('engine.ts')).not.toContain('outbound.ts');
  });
});
