import { describe, expect, it } from 'vitest';
import { createDemoWorld } from '../../src/engine/demo-world.js';
import { openWorld } from '../../src/runtime/world-host.js';

const NOW = Date.parse('2026-12-07T15:00:00Z');

/** The campaigns' figures, by id (undefined where a campaign has none). */
const figuresOf = (campaigns: Record<string, { figures?: unknown }>) => Object.fromEntries(Object.entries(campaigns).map(([id, c]) => [id, c.figures]));

describe("a new world's first figures, put in after the desktop's first frame", () => {
  it('are left out at first, then put in as createDemoWorld makes them, as one saved command', async () => {
    const world = await openWorld({ seed: 5, now: NOW, ephemeral: true }, () => NOW, true, { firstFiguresLater: true });
    try {
      const made = createDemoWorld(5, NOW).campaigns;
      const started = Object.keys(made).filter((id) => made[id].figures);
      // Three demo campaigns were started before the world begins: their figures wait.
      expect(started.length).toBeGreaterThanOrEqual(2);
      for (const id of started) expect(world.engine.state.campaigns[id].figures).toBeUndefined();
      expect(world.fillFirstFigures).toBeTypeOf('function');
      await world.fillFirstFigures!();
      expect(figuresOf(world.engine.state.campaigns)).toEqual(figuresOf(made));
      // Saved: the store has them too.
      const saved = (await world.store.read((q) => q.loadEntities('campaign'))) as Record<string, { figures?: unknown }>;
      expect(figuresOf(saved)).toEqual(figuresOf(made));
    } finally {
      await world.store.close();
    }
  });

  it('leave a campaign counting already, or restarted, as it is', async () => {
    const world = await openWorld({ seed: 5, now: NOW, ephemeral: true }, () => NOW, true, { firstFiguresLater: true });
    try {
      const made = createDemoWorld(5, NOW).campaigns;
      const [counting, restarted] = Object.keys(made).filter((id) => made[id].figures);
      const own = { since: world.engine.state.campaigns[counting].startedAt!, attempts: 1, liveAnswers: 0, abandoned: 0, busyMs: 0, loggedMs: 0, at: NOW, busyAgents: 0, loggedAgents: 0 };
      await world.engine.run(() => {
        world.engine.mut.campaigns[counting].figures = own;
        world.engine.touch('campaign', counting);
        world.engine.mut.campaigns[restarted].startedAt = NOW;
        world.engine.touch('campaign', restarted);
        return { ok: true, value: undefined };
      });
      await world.fillFirstFigures!();
      expect(world.engine.state.campaigns[counting].figures).toEqual(own);
      expect(world.engine.state.campaigns[restarted].figures).toBeUndefined();
    } finally {
      await world.store.close();
    }
  });

  it('are made at once when not asked to wait, and an existing world has nothing left to put in', async () => {
    const world = await openWorld({ seed: 5, now: NOW, ephemeral: true }, () => NOW, true);
    try {
      expect(figuresOf(world.engine.state.campaigns)).toEqual(figuresOf(createDemoWorld(5, NOW).campaigns));
      expect(world.fillFirstFigures).toBeUndefined();
    } finally {
      await world.store.close();
    }
  });
});
