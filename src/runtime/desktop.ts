import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { agentZone, zoneOfAgent, type OpenWorld } from './world-host.js';
import { ClockDriver } from './clock-driver.js';
import { DeskHeartbeat, TeamRoles, loggedInElsewhere } from './team-roles.js';
import { readFirst, type DeskHost } from '../screens/desk-context.js';
import { firstReads } from '../screens/first-reads.js';
import type { Engine } from '../engine/engine.js';
import { fail, type Result } from '../engine/result.js';
import { thisProcess } from '../store/processes.js';
import { renderDesk } from './render-desk.js';
import { chrono } from '../engine/time/callback-time.js';
import { preloadViews } from '../screens/lazy-views.js';
import { phoneLib } from '../engine/phone-numbers.js';

/** Where a desktop's agent zone comes from, whoever the agent is. */
export interface ZoneChoice {
  /** --tz: the zone of whoever works at this desktop (kept with the agent who starts or logs in). */
  tz: string | undefined;
  /** The machine's zone: an agent's when none is kept and --tz is not given. */
  systemZone: () => string;
}

export interface DesktopOptions extends ZoneChoice {
  world: OpenWorld;
  agent: string;
  speed: number;
  color: boolean;
}

type DeskLogin = (agentId: string, place: string) => Promise<Result<void>>;

/**
 * The agent's zone at this desktop, decided here for whoever the agent is (zoneOfAgent): the
 * screens ask zoneOf for the agent logged in (before login, for the one in the login form), and an
 * agent who logs in keeps it with the state, as the --agent one does at the start. An agent
 * picked at the login form used to work in the --agent one's zone.
 */
export function agentZones(engine: Engine, choice: ZoneChoice, login: DeskLogin): Pick<DeskHost, 'zoneOf' | 'login'> {
  // Asked at each render for an agent with no zone kept: the machine's zone is looked up once.
  let system: string | undefined;
  const systemZone = () => (system ??= choice.systemZone());
  return {
    zoneOf: (agentId) => (Object.hasOwn(engine.state.agents, agentId) ? zoneOfAgent(engine, agentId, choice.tz, systemZone) : undefined),
    login: async (agentId, place) => {
      const r = await login(agentId, place);
      if (r.ok) await agentZone(engine, agentId, choice.tz, systemZone);
      return r;
    },
  };
}

/** Saves the simulation's own progress this often; agent commits are saved at once. */
const CHECKPOINT_MS = 2000;
/** How long the desktop waits for another process's write lock before trying again later. */
const DESKTOP_BUSY_MS = 150;

/** Runs the interactive desktop until the agent quits; returns the exit code. */
export async function runDesktop(opts: DesktopOptions): Promise<number> {
  // Ink's layout engine (WebAssembly), as the package loads it, ends loading in a V8 platform
  // task (the bin's bundle compiles it at once: scripts/ink-speedups.mjs), and Node runs what
  // follows such a task in a loop that, before it returns to the event loop, waits for every
  // background job started meanwhile (compiles, concurrent marking): 15 to 30 ms before the
  // first frame reached the terminal. From the event loop, the first frame waits for none.
  await new Promise((resolve) => setImmediate(resolve));
  const { engine, store } = opts.world;
  const agentTz = await agentZone(engine, opts.agent, opts.tz, opts.systemZone);
  // A script's long write (an import) must not freeze the screen: wait briefly, retry next tick.
  store.setBusyTimeout(DESKTOP_BUSY_MS);
  const clock = new ClockDriver(engine, opts.speed, () => performance.now());
  // On a state others may share, this desktop hosts the world while no other process does, and
  // says it is alive for its agent; in memory (--ephemeral) it is alone and hosts from the start.
  const me = thisProcess();
  const roles = store.persistent ? new TeamRoles({ engine, store, me, role: 'desktop', realNow: Date.now }) : null;
  const heartbeat = store.persistent ? new DeskHeartbeat(engine, store, me, Date.now) : null;
  // On a state others may share, an agent logged in at another desktop that is alive is refused,
  // and a session whose desktop is gone is taken over.
  const login: DeskLogin = store.persistent
    ? async (agentId, place) => {
        const where = await loggedInElsewhere(engine, store, agentId, me, Date.now());
        if (where) return fail(where);
        const r = await engine.login(agentId, place, { takeOver: true });
        if (r.ok) await heartbeat?.beat();
        return r;
      }
    : (agentId, place) => engine.login(agentId, place);
  const host: DeskHost = { engine, agentTz, clock, defaultAgent: opts.agent, defaultPlace: 'Place_3101', ...agentZones(engine, opts, login) };
  // The first frame shows what the store holds (a failed read leaves it to the views' own reads).
  host.firstReads = await readFirst(engine, firstReads(engine)).catch(() => undefined);
  // The host saves its clock and timers; a desktop that follows has nothing of its own to save.
  const save = async () => {
    if (!engine.owner) return;
    await engine.commit().catch(() => {
      // The next checkpoint retries; agent commands report their own failures.
    });
  };
  // Another process committed (a script, another desktop): take its changes in. The store says
  // when (SQLite: its data_version, a few microseconds a look; PostgreSQL: a notification).
  const sync = () =>
    void engine.sync().catch(() => {
      // The store is busy (a long import holds the lock): its next change tries again.
    });
  clock.start();
  const timers = [setInterval(() => void save(), CHECKPOINT_MS)];
  const unwatch = store.watch(sync);
  const instance = renderDesk(host, opts.color, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
  // `npm run bench` measures start-up to the first interactive frame (wall and CPU ms since the
  // process started), then quits: at the first turn of the event loop after the frame, as for
  // the bare Ink hello it is compared with, so before what this desktop starts after its frame.
  const startupFile = process.env.CALLBACK_DESK_STARTUP_FILE;
  if (startupFile) {
    setImmediate(() => {
      const cpu = process.cpuUsage();
      fs.writeFileSync(startupFile, `${performance.now()} ${(cpu.user + cpu.system) / 1000}`);
      instance.unmount();
    });
  }
  // Once the first frame is drawn: the agent's beat first (a host that looks for desktops gone
  // must see this one alive), then the lease (this desktop hosts while no other process does).
  // An agent who quits before the beat is written starts neither (their timers would keep the
  // process alive after the store is closed).
  let quitting = false;
  let filling: Promise<void> = Promise.resolve();
  const joining = new Promise<void>((resolve) =>
    setImmediate(() => {
      // A new world's first figures: in a task of their own once the frame is out (a key typed
      // meanwhile waits for them at most), and before the clock's first tick, 200 ms on (the
      // engine runs its transactions in the order asked): the dialer counts on from them. Not
      // once the agent has quit: the store is being closed.
      const fill = opts.world.fillFirstFigures;
      if (fill) {
        setTimeout(() => {
          if (!quitting) filling = fill().catch(() => {});
        }, 0);
      }
      void (async () => {
        await heartbeat?.beat();
        if (quitting) return;
        heartbeat?.start();
        roles?.start();
      })().finally(resolve);
    }),
  );
  // Bracketed paste: the terminal marks a paste, so its line breaks never act as Enter.
  if (process.stdout.isTTY) process.stdout.write('\x1b[?2004h');
  // Load the windows, the date and the phone libraries, and unpack the calling lists' zone
  // rules, once the first frame is up, before the agent needs them: one at a time, so keys
  // typed meanwhile are answered between them.
  const warmups = [() => void preloadViews(), () => void chrono(), () => void phoneLib(), () => void engine.prepareZones().catch(() => {})];
  const warmNext = (delay: number) => {
    const step = warmups.shift();
    if (step)
      setTimeout(() => {
        step();
        warmNext(30);
      }, delay).unref();
  };
  warmNext(150);
  try {
    await instance.waitUntilExit();
  } finally {
    quitting = true;
    if (process.stdout.isTTY) process.stdout.write('\x1b[?2004l');
    clock.stop();
    for (const t of timers) clearInterval(t);
    unwatch();
    await joining;
    await filling;
    await save();
    await heartbeat?.stop();
    await roles?.stop();
    await store.close();
  }
  return 0;
}
