import os from 'node:os';
import { createEngine } from '../engine/simulation.js';
import type { Engine } from '../engine/engine.js';
import { createDemoWorld, fillFirstFigures } from '../engine/demo-world.js';
import { TimeZones } from '../engine/time/time-zones.js';
import type { ZoneDatabase } from '../engine/time/zone-rules.js';
import { loadZoneDatabase } from '../platform/tzdata.js';
import { defaultStatePath } from '../store/sqlite-store.js';
import { openStore } from '../store/open-store.js';
import type { StorePort } from '../engine/store-port.js';

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

/**
 * The state a command works on: --state, else CALLBACK_DESK_STATE, else the default file. A
 * file path or a `postgres://` / `postgresql://` URL.
 */
export function statePath(opts: WorldOptions, env: NodeJS.ProcessEnv = process.env): string {
  if (opts.ephemeral) return ':memory:';
  return opts.state ?? (env.CALLBACK_DESK_STATE || defaultStatePath(env, os.homedir()));
}

export interface OpenWorld {
  engine: Engine;
  store: StorePort;
  created: boolean;
  /**
   * A world made with its first figures left for later (openWorld's `firstFiguresLater`): puts
   * them in, as one command. Absent when there is nothing left to do.
   */
  fillFirstFigures?: () => Promise<void>;
}

/**
 * Opens (or creates from the seed and --now) the state and an engine on it. `realNow` is only
 * read when neither --now nor a saved clock exists: a new state file starts its clock at
 * --now, else at the real time. `owner`: this process runs the clock and timers (the desktop,
 * a demo); scripting commands are not owners.
 */
export async function openWorld(opts: WorldOptions, realNow: () => number, owner = true, { firstFiguresLater = false } = {}): Promise<OpenWorld> {
  const file = statePath(opts);
  let createdAt: number | undefined;
  const { store, created } = await openStore(file, () => {
    createdAt = opts.now ?? Math.floor(realNow() / 1000) * 1000;
    return createDemoWorld(opts.seed, createdAt, { firstFigures: !firstFiguresLater });
  });
  try {
    const engine = await createEngine(store, { zones: timeZones(), owner });
    if (!created || !firstFiguresLater || createdAt === undefined) return { engine, store, created };
    const at = createdAt;
    // Not saved (the store busy, the disk full): the campaigns count from zero, as a campaign
    // started anew does, which is all that is lost.
    return { engine, store, created, fillFirstFigures: async () => void (await fillFirstFigures(engine, opts.seed, at)) };
  } catch (e) {
    await store.close();
    throw e;
  }
}

/**
 * The zone an agent works in at a desktop: --tz when given, else the one kept with the agent,
 * else the system's. Only reads: agentZone keeps it.
 */
export function zoneOfAgent(engine: Engine, agentId: string, given: string | undefined, systemZone: () => string): string {
  return given ?? engine.state.agents[agentId]?.tz ?? systemZone();
}

/**
 * The zone a desktop shows its agent's time in (zoneOfAgent), kept with the state: --tz from
 * then on, and a state started without --tz keeps the zone it was started in, not the zone of
 * whatever machine opens it next.
 */
export async function agentZone(engine: Engine, agentId: string, given: string | undefined, systemZone: () => string): Promise<string> {
  const tz = zoneOfAgent(engine, agentId, given, systemZone);
  if (engine.state.agents[agentId]?.tz !== tz) {
    // Not kept (the store busy, the disk full): the desktop still starts in it, and says the
    // store's trouble on its notice line as for any write.
    await engine.setAgentZone(agentId, tz);
  }
  return tz;
}

/**
 * For scripting commands: an engine on the state file whose every change is its own
 * transaction (read under the write lock, so a desktop or another script on the same file
 * never interleaves). It writes rows only: the clock, timers and session belong to the desktop.
 */
export async function withWorld<T>(opts: WorldOptions, realNow: () => number, fn: (engine: Engine) => T | Promise<T>): Promise<T> {
  const { engine, store } = await openWorld(opts, realNow, false);
  try {
    return await fn(engine);
  } finally {
    await store.close();
  }
}
