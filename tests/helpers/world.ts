import { createEngine } from '../../src/engine/simulation.js';
import type { Engine } from '../../src/engine/engine.js';
import { createDemoWorld } from '../../src/engine/demo-world.js';
import { TimeZones } from '../../src/engine/time/time-zones.js';
import { loadZoneDatabase } from '../../src/platform/tzdata.js';
import type { WorldSeed } from '../../src/engine/world.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';

export const T0 = Date.UTC(2026, 10, 24, 15, 0, 0); // Tue 24 Nov 2026 10:00 EST

let zones: TimeZones | undefined;
export function testZones(): TimeZones {
  return (zones ??= new TimeZones(loadZoneDatabase()));
}

/** An engine on an in-memory store holding the demo world (or the given seed world). */
export function demoEngine(seed = 7, now = T0, world?: WorldSeed): Engine {
  const { store } = SqliteStore.open(':memory:', () => world ?? createDemoWorld(seed, now));
  return createEngine(store, { zones: testZones() });
}

/** The same store opened again by a new engine, as after a restart (the clock is saved first). */
export function restart(e: Engine): Engine {
  e.commit();
  return createEngine(e.store, { zones: testZones() });
}

/**
 * Every row of every table, in a stable order: what two runs that must agree are compared on.
 * Revisions count transactions (a restart commits once more), so they are left out.
 */
export function dumpStore(e: Engine): Record<string, unknown[]> {
  const db = (e.store as SqliteStore).db;
  const out: Record<string, unknown[]> = {};
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
  for (const t of tables) {
    out[t] = (db.prepare(`SELECT * FROM "${t}" ORDER BY 1, 2`).all() as Record<string, unknown>[])
      .filter((r) => !(t === 'meta' && (r.key === 'revision' || r.key === 'desktop')))
      .map(({ rev: _rev, ...rest }) => rest);
  }
  return out;
}

/** Test look-ups over whole tables (fine for the demo world; the engine itself never scans). */
export function allRecords(e: Engine) {
  return [...e.store.records.list({})];
}

export function allContacts(e: Engine) {
  const db = (e.store as SqliteStore).db;
  return (db.prepare('SELECT id FROM contact ORDER BY rowid').pluck().all() as string[]).map((id) => e.contact(id)!);
}

export function allGcallbacks(e: Engine) {
  return e.store.gcallbacks.list(10_000_000);
}

/** Changes records the way a feature would: in one transaction, each touched. */
export function changeRecords(e: Engine, ids: number[], fn: (r: import('../../src/engine/domain.js').CallingListRecord) => void): void {
  e.exclusive(() => {
    for (const id of ids) {
      const r = e.record(id)!;
      fn(r);
      e.touch('record', id);
    }
  });
}
