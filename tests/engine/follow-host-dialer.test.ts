import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDemoWorld } from '../../src/engine/demo-world.js';
import { createEngine } from '../../src/engine/simulation.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { T0, testZones } from '../helpers/world.js';

describe('followHostDialer (the supervisor beside a host)', () => {
  it("takes in the pacing groups the host saved, which a catch-up does not bring, and hosts nothing", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cbd-follow-dialer-'));
    const file = path.join(dir, 'state.db');
    try {
      const { store: hostStore } = await SqliteStore.open(file, () => createDemoWorld(7, T0));
      const host = await createEngine(hostStore, { zones: testZones() });
      // The supervisor opens first, as it may before the host has dialled anything.
      const { store: supStore } = await SqliteStore.open(file, () => createDemoWorld(7, T0));
      const sup = await createEngine(supStore, { zones: testZones() });
      sup.stopHosting();
      expect(await host.advanceBy(20 * 60_000)).toBe(true);
      await sup.sync();
      const saved = structuredClone(host.state.dialer);
      expect(sup.state.dialer).not.toEqual(saved);
      const revision = await supStore.revision();
      await sup.followHostDialer();
      expect(sup.state.dialer).toEqual(saved);
      expect(sup.owner).toBe(false);
      expect(await supStore.revision()).toBe(revision);
      await supStore.close();
      await hostStore.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
