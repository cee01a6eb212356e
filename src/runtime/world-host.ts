import os from 'node:os';
import { Engine } from '../engine/engine.js';
import { createDemoWorld } from '../engine/demo-world.js';
import { TimeZones } from '../engine/time/time-zones.js';
import type { ZoneDatabase } from '../engine/time/zone-rules.js';
import { loadZoneDatabase } from '../platform/tzdata.js';
import { SqliteStore, defaultStatePath } from '../store/sqlite-store.js';

/** Options every command shares: where the state lives and how a new world starts. */
export interface WorldOptions {
  seed: number;
  now?: number;
  tz?: string;
  state?: string;
  ephemeral?: boolean;
}

let zoneDb: ZoneDatabase | undefined;
export function zoneDatabase(): ZoneDatabase {
  return (zoneDb ??= loadZoneDatabase());
}

export function timeZones(): TimeZones {
  return new TimeZones(zoneDatabase());
}

export function statePath(opts: WorldOptions, env: NodeJS.ProcessEnv = process.env): string {
  if (opts.ephemeral) return ':memory:';
  return opts.state ?? defaultStatePath(env, os.homedir());
}

export interface OpenWorld {
  engine: Engine;
  store: SqliteStore;
  created: boolean;
}

/**
 * Opens (or creates from the seed and --now) the state and an engine on it whose commits are
 * written through to the store. `realNow` is only read when neither --now nor a saved clock
 * exists: a new state file starts its clock at --now, else at the real time.
 */
export function openWorld(opts: WorldOptions, realNow: () => number): OpenWorld {
  const file = statePath(opts);
  const { store, world, created } = SqliteStore.open(file, () => createDemoWorld(opts.seed, opts.now ?? Math.floor(realNow() / 1000) * 1000));
  const engine: Engine = new Engine(world, {
    zones: timeZones(),
    persist: (batch) => store.save(batch),
    allocateId: (kind, initial) => store.allocateId(kind, initial),
    exclusive: (fn) =>
      store.atomically(() => {
        const rows = store.externalChanges();
        if (rows) engine.applyExternal(rows);
        return fn();
      }),
  });
  return { engine, store, created };
}

/**
 * For scripting commands: load, change and save the state in one IMMEDIATE transaction, so a
 * desktop or another script on the same file never interleaves. Only entities are written.
 */
export function withWorld<T>(opts: WorldOptions, realNow: () => number, fn: (engine: Engine) => T): T {
  const file = statePath(opts);
  const { store } = SqliteStore.open(file, () => createDemoWorld(opts.seed, opts.now ?? Math.floor(realNow() / 1000) * 1000));
  try {
    return store.atomically(() => {
      const engine = new Engine(store.load(), {
        zones: timeZones(),
        persist: (batch) => store.save(batch, { meta: false }),
        allocateId: (kind, initial) => store.allocateId(kind, initial),
      });
      return fn(engine);
    });
  } finally {
    store.close();
  }
}
