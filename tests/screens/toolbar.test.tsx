import { afterEach, describe, expect, it } from 'vitest';
import { callbackCallOnDesk, demoEngine } from '../helpers/world.js';
import { mountDesk } from '../helpers/desk.js';
import { layoutProblems } from '../helpers/layout.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('the call toolbar (seed 7, 2026-11-24T15:00Z)', () => {
  it.each([80, 100, 120])('keeps every key with its label on a connected call at %i columns', async (columns) => {
    const engine = await demoEngine(7);
    await callbackCallOnDesk(engine);
    const d = await mountDesk(engine, { columns, rows: 30 });
    cleanup = d.unmount;
    await d.keys('5', 'enter', 'c');
    for (let i = 0; i < 60 && engine.openInteractions()[0]?.state !== 'connected'; i++) {
      await engine.advanceBy(1000);
      await d.settle();
    }
    expect(engine.openInteractions()[0].state).toBe('connected');
    const bar = d.screen().split('\n').filter((l) => /\bc \(Call\)/.test(l));
    expect(bar).toHaveLength(1);
    // Every action on the one line, none cut from its key.
    expect(bar[0]).toMatch(/c \(Call\) +e End Call +r Resched\S* .*d \(Done\) .*b New C(B|allback)\s*$/);
    expect(layoutProblems(d.term)).toEqual([]);
  });
});
