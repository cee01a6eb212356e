import { performance } from 'node:perf_hooks';
import type { OpenWorld } from './world-host.js';
import { ClockDriver } from './clock-driver.js';
import { TeamRoles } from './team-roles.js';
import { thisProcess } from '../store/processes.js';

export interface HostOptions {
  world: OpenWorld;
  speed: number;
  out: (line: string) => void;
  /** Resolves when the host should stop (SIGINT, SIGTERM). */
  stopped: Promise<void>;
}

/** How long the host waits for another process's write lock before trying again on a later tick. */
const HOST_BUSY_MS = 500;

/** The host saves its clock and timers this often when nothing else was written meanwhile. */
const CHECKPOINT_MS = 2000;

/**
 * `callback-desk host`: runs the world with no screen (its clock, the dialer, the simulated
 * customers and colleagues, every timer) for the desktops of a team. While another process
 * hosts the state it waits, and takes over within about two seconds of that one stopping.
 * Returns when `stopped` resolves, after giving the lease up.
 */
export async function runHost(o: HostOptions): Promise<number> {
  const { engine, store } = o.world;
  // On SQLite a wait for the write lock blocks the thread, lease renewals included: a host that
  // waited past the lease's 1.5 s would lose it while alive. It gives up after half a second and
  // its clock makes the time up on the next tick.
  store.setBusyTimeout(HOST_BUSY_MS);
  const me = thisProcess();
  const location = store.location;
  const roles = new TeamRoles({
    engine,
    store,
    me,
    role: 'host',
    realNow: Date.now,
    onHosting: (hosting, epoch) => o.out(hosting ? `hosting ${location} (epoch ${epoch}, pid ${me.pid} on ${me.host})` : `stopped hosting ${location}: another process took it over`),
  });
  const clock = new ClockDriver(engine, o.speed, () => performance.now());
  await roles.step();
  if (!roles.hosting) {
    const held = await store.team.host();
    o.out(`waiting: ${location} is hosted by pid ${held?.pid ?? '?'} on ${held?.host ?? '?'} (${held?.role ?? 'host'}); this host takes over when it stops`);
  }
  roles.start();
  clock.start();
  const sync = () => void engine.sync().catch(() => {});
  const unwatch = store.watch(sync);
  // Whatever stops the host saving (another process holding the write lock, the database gone)
  // is said once as it starts and once as it ends: nobody watches a host's screen.
  let trouble: string | null = null;
  const checkpoint = setInterval(() => {
    if (engine.owner) void engine.commit().catch(() => {});
    const now = engine.storeTrouble?.message ?? null;
    if (now !== trouble) o.out(now ? `not saving: ${now}` : 'saving again');
    trouble = now;
  }, CHECKPOINT_MS);
  try {
    await o.stopped;
  } finally {
    clearInterval(checkpoint);
    unwatch();
    clock.stop();
    if (engine.owner) await engine.commit().catch(() => {});
    await roles.stop();
    await store.close();
  }
  o.out(`host stopped (${location})`);
  return 0;
}
