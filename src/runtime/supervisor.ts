import { createElement } from 'react';
import { performance } from 'node:perf_hooks';
import { render, type Instance } from 'ink';
import chalk from 'chalk';
import type { OpenWorld } from './world-host.js';
import { ClockDriver } from './clock-driver.js';
import { DiffingStdout } from './frame-diff.js';
import { drawMode, type RenderTarget } from './render-desk.js';
import { DeskProvider, type DeskHost } from '../screens/desk-context.js';
import { ThemeProvider, makeTheme } from '../screens/theme.js';
import { SupervisorApp, type LeaseSource, type SupervisorHostInfo } from '../screens/supervisor/supervisor-app.js';

export interface SupervisorOptions {
  world: OpenWorld;
  tz: string;
  color: boolean;
}

/**
 * How often the supervisor looks again without being told: who holds the lease, and the state
 * (the fallback beside the store's change notices; the issue asks to follow within a second).
 */
const LOOK_EVERY_MS = 500;

/**
 * `callback-desk supervisor`: a screen over a team's state that never hosts it. It follows the
 * host's clock and takes in every change (the store's notices, and a look every half second), and
 * its keys run the `campaigns` commands, each its own transaction. Returns the exit code.
 */
export async function runSupervisor(o: SupervisorOptions): Promise<number> {
  const { engine, store } = o.world;
  const clock = new ClockDriver(engine, 1, () => performance.now());
  let info: SupervisorHostInfo = { lease: null };
  const listeners = new Set<() => void>();
  const lease: LeaseSource = {
    current: () => info,
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
  const look = async () => {
    const held = await store.team.host().catch(() => info.lease);
    const now = Date.now();
    // A lease its holder stopped renewing is no host (team-roles.ts takes it over after 1.5 s).
    const live = held && now - held.heartbeatAt < 1500 ? held : null;
    if (live?.epoch !== info.lease?.epoch || (live === null) !== (info.lease === null)) {
      info = { lease: live };
      for (const fn of listeners) fn();
    }
    await engine.sync().catch(() => {});
    // The pacing groups' colleagues (the board's sim column) are the host's, saved with its meta.
    await engine.followHostDialer().catch(() => {});
  };
  await look();
  clock.start();
  const unwatch = store.watch(() => void engine.sync().catch(() => {}));
  const timer = setInterval(() => void look(), LOOK_EVERY_MS);
  const host: DeskHost = { engine, agentTz: o.tz, clock, defaultAgent: '', defaultPlace: '' };
  const instance = renderSupervisor(host, lease, o.color, { stdin: process.stdin, stdout: process.stdout });
  try {
    await instance.waitUntilExit();
  } finally {
    clearInterval(timer);
    unwatch();
    clock.stop();
    await store.close();
  }
  return 0;
}

/** Renders the supervisor's screen (a terminal, or a headless one in tests: `debug` draws whole frames). */
export function renderSupervisor(host: DeskHost, lease: LeaseSource, color: boolean, target: RenderTarget, debug = false): Instance {
  chalk.level = color ? chalk.level || 3 : 1;
  const diffing = drawMode(target.stdout, debug) === 'changes' ? new DiffingStdout(target.stdout as NodeJS.WriteStream) : null;
  return render(createElement(DeskProvider, { value: host }, createElement(ThemeProvider, { value: makeTheme(color) }, createElement(SupervisorApp, { lease }))), {
    stdin: target.stdin as NodeJS.ReadStream,
    stdout: (diffing ?? target.stdout) as NodeJS.WriteStream,
    stderr: (target.stderr ?? target.stdout) as NodeJS.WriteStream,
    debug,
    exitOnCtrlC: false,
    patchConsole: false,
    maxFps: diffing ? 120 : undefined,
  });
}
