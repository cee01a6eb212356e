import type { Command } from 'commander';
import type { CallbackService } from '../engine/domain.js';
import type { Engine } from '../engine/engine.js';
import { openWorld, type OpenWorld, type WorldOptions } from '../runtime/world-host.js';
import { noSuch, own } from './names.js';
import { RecordsIoError } from './records/import-rows.js';

/**
 * What every scripting command group (src/commands/<group>.ts, registered in groups.ts) is
 * given by the command line, and the few helpers they share: the world opened and closed, the
 * names that must exist.
 */

/** A user error in a scripting command: one line on stderr, exit 2, nothing changed. */
export class CommandError extends Error {}

export interface ScriptingContext {
  worldOptions: (cmd: Command) => Command;
  worldOpts: (o: Record<string, unknown>) => WorldOptions;
  /** Text for people: control characters from data drawn visibly. */
  out: (s: string) => void;
  /** Warnings: the command still succeeds. */
  err: (s: string) => void;
  /** A value as JSON (pretty), safe for a terminal when stdout is one. */
  json: (value: unknown) => void;
  realNow: () => number;
  setup: (cmd: Command) => Command;
}

/**
 * The state, opened. A scripting command that had to create it says so on stderr: a mistyped
 * --state would otherwise look like an answer about the file meant.
 */
export async function openFor(ctx: ScriptingContext, o: Record<string, unknown>): Promise<OpenWorld> {
  const opts = ctx.worldOpts(o);
  const world = await openWorld(opts, ctx.realNow, false);
  if (world.created && !opts.ephemeral) {
    const what = world.store.backend === 'sqlite' ? 'did not exist; created it' : 'was empty; created the callback-desk tables in it';
    ctx.err(`callback-desk: note: ${world.store.location} ${what} with a new demo world (seed ${opts.seed})\n`);
  }
  return world;
}

/** A scripting command's world: every change its own transaction; the store closed after. */
export async function withWorld<T>(ctx: ScriptingContext, o: Record<string, unknown>, fn: (engine: Engine) => T | Promise<T>): Promise<T> {
  const { engine, store } = await openFor(ctx, o);
  try {
    return await fn(engine);
  } catch (e) {
    if (e instanceof RecordsIoError) throw new CommandError(e.message);
    throw e;
  } finally {
    await store.close();
  }
}

// ---- names that must exist ------------------------------------------------------------------

export function campaignOf(engine: Engine, name: string): string {
  const all = Object.values(engine.state.campaigns);
  const c = all.find((x) => x.id === name || x.name.toLowerCase() === name.toLowerCase());
  if (!c) throw new CommandError(noSuch('campaign', name, all.flatMap((x) => [x.id, x.name])));
  return c.id;
}

export function serviceOf(engine: Engine, name: string): CallbackService {
  const svc = own(engine.state.services, name);
  if (!svc) throw new CommandError(`CallbackExceptionResource: ${noSuch('callback service', name, Object.keys(engine.state.services))}`);
  return svc;
}

export function checkAgent(engine: Engine, id: string): void {
  if (!own(engine.state.agents, id)) throw new CommandError(noSuch('agent', id, Object.keys(engine.state.agents)));
}

/** Contacts may be many: the nearest ids are looked for among all of a small table, else among the neighbours in id order. */
export function contactCandidates(engine: Engine, id: string): Promise<string[]> {
  return engine.read(async (q) => {
    const all = await q.contacts.ids(20001);
    return all.length <= 20000 ? all : q.contacts.idsNear(id, 200);
  });
}
