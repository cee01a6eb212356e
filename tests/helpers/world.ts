import { Engine } from '../../src/engine/engine.js';
import { createDemoWorld } from '../../src/engine/demo-world.js';
import { TimeZones } from '../../src/engine/time/time-zones.js';
import { loadZoneDatabase } from '../../src/platform/tzdata.js';
import type { WorldState } from '../../src/engine/world.js';

export const T0 = Date.UTC(2026, 10, 24, 15, 0, 0); // Tue 24 Nov 2026 10:00 EST

let zones: TimeZones | undefined;
export function testZones(): TimeZones {
  return (zones ??= new TimeZones(loadZoneDatabase()));
}

export function demoEngine(seed = 7, now = T0, world?: WorldState): Engine {
  return new Engine(world ?? createDemoWorld(seed, now), { zones: testZones() });
}
