import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/simulation.js';
import { createDemoWorld, DEMO_ZONES } from '../../src/engine/demo-world.js';
import { TimeZones } from '../../src/engine/time/time-zones.js';
import type { ZoneDatabase } from '../../src/engine/time/zone-rules.js';
import { loadZoneDatabase } from '../../src/platform/tzdata.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { T0 } from '../helpers/world.js';

describe('prepareZones', () => {
  it("unpacks the zone rules of every campaign's numbers ahead of the first dial, writing nothing", async () => {
    const real = loadZoneDatabase();
    const asked = new Set<string>();
    const counting: ZoneDatabase = { version: real.version, source: real.source, names: () => real.names(), get: (name) => (asked.add(name), real.get(name)) };
    const { store } = await SqliteStore.open(':memory:', () => createDemoWorld(7, T0));
    const engine = await createEngine(store, { zones: new TimeZones(counting) });
    const revision = await store.revision();
    // The zones the demo world's calling lists use: some of DEMO_ZONES, read from the store.
    const inLists = new Set((await engine.read(async (q) => Promise.all(Object.keys(engine.state.campaigns).map((c) => q.records.zonesOf(c))))).flat());
    expect(inLists.size).toBeGreaterThan(3);
    for (const z of inLists) expect(DEMO_ZONES.map((d) => d.zone)).toContain(z);
    asked.clear();
    await engine.prepareZones();
    expect([...inLists].filter((z) => !asked.has(z))).toEqual([]);
    expect(await store.revision()).toBe(revision);
    await store.close();
  });
});
