// Figures for `npm run bench`, bundled and run by bench/run.mjs. Prints, never asserts.
import { performance } from 'node:perf_hooks';
import { SqliteStore } from '../src/store/sqlite-store.js';
import { createEngine } from '../src/engine/simulation.js';
import { createDemoWorld } from '../src/engine/demo-world.js';
import type { CallbackService, GenesysCallback } from '../src/engine/domain.js';
import { availability, slotsBetween } from '../src/engine/genesys-callback.js';
import { TimeZones } from '../src/engine/time/time-zones.js';
import { loadZoneDatabase } from '../src/platform/tzdata.js';
import { runCampaignSim } from '../src/engine/dialer/campaign-sim.js';
import { endCall } from '../src/engine/outbound.js';
import { HeadlessTerminal } from '../src/runtime/headless-terminal.js';
import { renderDesk } from '../src/runtime/render-desk.js';
import { ScriptedClock } from '../src/runtime/clock-driver.js';
import { preloadViews } from '../src/screens/lazy-views.js';
// The screen tests' wait: until no transaction or read is under way and no new frame came.
import { settleDesk } from '../tests/helpers/desk.js';
import { median, timedAsks } from './timing.js';

const T0 = Date.UTC(2026, 10, 24, 15);
const zones = new TimeZones(loadZoneDatabase());

export async function benchAvailability(): Promise<void> {
  const world = createDemoWorld(1, T0);
  // A busy service: open 08:00-20:00 every day in 15-minute slots, 100 places each.
  const svc: CallbackService = {
    name: 'bench-busy',
    tz: 'America/New_York',
    officeHours: { weekly: Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [d, [[8 * 3600, 20 * 3600]]])), special: {} },
    slotMinutes: 15,
    capacity: 100,
  };
  world.services[svc.name] = svc;
  const { store } = await SqliteStore.open(':memory:', () => world);
  const engine = await createEngine(store, { zones });
  // 100,000 bookings spread over the next 30 days, as many as fit in each slot.
  const starts = (await engine.read((q) => slotsBetween(engine, q, svc.name, T0, T0 + 30 * 86_400_000))).map((s) => s.start);
  await store.transaction(async (tx) => {
    for (let i = 0; i < 100_000; i++) {
      const slot = starts[(i * 7919) % starts.length];
      const cb: GenesysCallback = { id: `B${i}`, service: svc.name, contactId: null, customerNumber: '+12125550100', type: 'Scheduled', desiredTime: slot, slot, state: 'SCHEDULED', reason: null, bookedBy: 'web', createdAt: T0, history: [], originInteraction: null };
      await tx.gcallbacks.put(cb, undefined);
    }
  });
  const q = { service: svc.name, start: T0, days: 30, reportBusy: true };
  // As the desktop and `slots` ask it: a read outside any transaction.
  const { first, firstMs: cold, ms: runs } = await timedAsks(() => engine.read((db) => availability(engine, db, q)), 30);
  const n = first.ok ? first.value.slots.length : 0;
  console.log('availability: 30 days of a 12-hour service in 15-minute slots over 100,000 booked callbacks (%d slots)', n);
  console.log('  first call                             %s ms', cold.toFixed(2));
  console.log('  median of 30 calls                     %s ms (goal < 5 ms)', median(runs).toFixed(2));
}

export async function benchGridKey(): Promise<void> {
  const engine = await createEngine((await SqliteStore.open(':memory:', () => createDemoWorld(7, T0))).store, { zones });
  await preloadViews();
  const term = new HeadlessTerminal(100, 30);
  const app = renderDesk({ engine, agentTz: 'America/New_York', clock: new ScriptedClock(), defaultAgent: 'a.lopez', defaultPlace: 'P' }, true, term, true);
  const settle = () => settleDesk(term, engine);
  const keys = async (...names: string[]) => {
    for (const n of names) {
      term.press(n);
      await settle();
    }
  };
  await settle();
  await keys('enter', '4', 'g', 'a', 'r', 'c', 'i', 'a', 'enter', 'enter', 'tab', 'tab', 'tab', 'right', 'tab', 'tab');
  const times: number[] = [];
  for (let i = 0; i < 60; i++) {
    const key = i % 20 < 10 ? 'right' : 'left';
    const frame = new Promise<number>((resolve) => {
      const off = term.onFrame(() => {
        off();
        resolve(performance.now());
      });
    });
    const t = performance.now();
    term.press(key);
    times.push((await frame) - t);
    await settle();
  }
  app.unmount();
  console.log('slot grid: key press to the next frame (100x30, colour, median of 60 presses)');
  console.log('  median %s ms, slowest %s ms (goal < 16 ms)', median(times).toFixed(2), Math.max(...times).toFixed(2));
}

export async function benchDialer(): Promise<void> {
  const base = { hours: 8, talkSec: 120, wrapSec: 10, targetAbandon: 0.03, start: Date.UTC(2026, 10, 24, 14) };
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
  console.log('dialer: 8 simulated hours, talk 120 s, wrap 10 s, target abandon 3%');
  console.log('  open-loop M/M/n at 3% abandon (answered calls wait at most 2 s): 82.6% occupancy for 50 agents, 89.4% for 100');
  for (const agents of [50, 100]) {
    for (let seed = 1; seed <= 5; seed++) {
      const f = runCampaignSim({ ...base, mode: 'predictive', agents, hitRate: 0.3, seed });
      console.log('  predictive  %s agents seed %d: abandon %s (last hour %s), occupancy %s', String(agents).padStart(3), seed, pct(f.abandonRate), pct(f.abandonRateLastHour), pct(f.occupancy));
    }
  }
  // Every group size, both hit rates, five seeds: the worst hour must hold the target too.
  console.log('  predictive at every size (5 seeds each): whole-run abandon (worst seed), worst single hour, first hour, mean occupancy');
  for (const agents of [10, 50, 100, 500, 2000, 5000]) {
    for (const hitRate of [0.1, 0.3]) {
      let whole = 0;
      let worstHour = 0;
      let first = 0;
      let occ = 0;
      for (let seed = 1; seed <= 5; seed++) {
        const f = runCampaignSim({ ...base, mode: 'predictive', agents, hitRate, seed });
        whole = Math.max(whole, f.abandonRate);
        first = Math.max(first, f.hourly[0].abandonRate);
        for (const h of f.hourly) worstHour = Math.max(worstHour, h.abandonRate);
        occ += f.occupancy / 5;
      }
      console.log('    %s agents, hit rate %d%%: %s, worst hour %s, first hour %s, occupancy %s (goal: every figure <= 3%)', String(agents).padStart(4), hitRate * 100, pct(whole), pct(worstHour), pct(first), pct(occ));
    }
  }
  {
    const t = performance.now();
    runCampaignSim({ ...base, mode: 'predictive', agents: 5000, hitRate: 0.3, seed: 1 });
    console.log('  5,000 agents for 8 hours: %s s (goal < 5 s), process RSS now %s MB (goal < 300 MB)', ((performance.now() - t) / 1000).toFixed(2), (process.memoryUsage().rss / 1e6).toFixed(0));
  }
  for (const hitRate of [0.1, 0.3]) {
    const f = runCampaignSim({ ...base, mode: 'progressive', agents: 100, hitRate, seed: 1 });
    console.log('  progressive 100 agents, hit rate %d%%: abandon %s, occupancy %s', hitRate * 100, pct(f.abandonRate), pct(f.occupancy));
  }
  // Speed: warm the JIT with one run, then the median of five.
  runCampaignSim({ ...base, mode: 'predictive', agents: 100, hitRate: 0.3, seed: 99 });
  const rates: number[] = [];
  for (let seed = 1; seed <= 5; seed++) {
    const t = performance.now();
    const f = runCampaignSim({ ...base, mode: 'predictive', agents: 100, hitRate: 0.3, seed });
    rates.push(f.attempts / ((performance.now() - t) / 1000));
  }
  console.log('  speed, predictive, 100 agents, 8 h: %s call attempts per second of wall time (median of 5; goal >= 2,000,000)', Math.round(median(rates)).toLocaleString('en-US'));
  await benchDeskDialer();
}

/**
 * The same pacing at the desk, on the engine's event queue: the demo world (Collections Q4,
 * Predictive, twelve colleagues) logged in for 8 simulated hours, every timer in the engine.
 */
export async function benchDeskDialer(): Promise<void> {
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
  const { store } = await SqliteStore.open(':memory:', () => createDemoWorld(1, T0));
  const engine = await createEngine(store, { zones });
  await engine.login('a.lopez', 'P');
  const c0 = { ...engine.state.campaigns['collections-q4'].figures! };
  let timers = 0;
  engine.on('timerFired', () => {
    timers++;
  });
  const t = performance.now();
  for (let m = 0; m < 8 * 60; m++) {
    await engine.advanceBy(60_000);
    for (const it of engine.openInteractions()) {
      if (it.channel !== 'voice') continue;
      await endCall(engine, it.id);
      await engine.markDone(it.id);
    }
  }
  const ms = performance.now() - t;
  const f = engine.state.campaigns['collections-q4'].figures!;
  const live = f.liveAnswers - c0.liveAnswers;
  console.log('  desk, Predictive, agent + 12 colleagues, 8 h: %s attempts, abandon %s (target 3%), %s timers in %s ms (%s µs a timer)', f.attempts - c0.attempts, pct(live > 0 ? (f.abandoned - c0.abandoned) / live : 0), timers, ms.toFixed(0), ((ms * 1000) / timers).toFixed(1));
}

/**
 * A desktop that has run for days: the engine's cost per simulated hour (in the 12-minute
 * ticks of --speed 3600) on day 1 and on day 12, side by side, and key-to-frame on day 12 with
 * those ticks running between the keys, as the desktop's clock does.
 */
export async function benchAging(): Promise<void> {
  const engine = await createEngine((await SqliteStore.open(':memory:', () => createDemoWorld(7, T0))).store, { zones });
  await engine.login('a.lopez', 'P');
  const tick = 720_000;
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)];
  const hourCost = async () => {
    const ticks: number[] = [];
    for (let i = 0; i < 5 * 12; i++) {
      const t = performance.now();
      await engine.advanceBy(tick);
      ticks.push(performance.now() - t);
    }
    return ticks;
  };
  await preloadViews();
  const keyTimes = async () => {
    const term = new HeadlessTerminal(100, 30);
    const app = renderDesk({ engine, agentTz: 'America/New_York', clock: new ScriptedClock(), defaultAgent: 'a.lopez', defaultPlace: 'P' }, true, term, true);
    await settleDesk(term, engine);
    const times: number[] = [];
    for (let i = 0; i < 60; i++) {
      // The clock's tick lands just before the key, as it may on a running desktop.
      await engine.advanceBy(tick / 12);
      const frame = new Promise<number>((resolve) => {
        const off = term.onFrame(() => {
          off();
          resolve(performance.now());
        });
      });
      const t = performance.now();
      term.press(i % 2 ? 'tab' : 'shift+tab');
      times.push((await frame) - t);
      await settleDesk(term, engine);
    }
    app.unmount();
    return times;
  };
  // Both spans are the same weekday and hours (day 2 and day 16 are Wednesdays, 15:00 to 20:00
  // UTC): office hours, campaigns and customers' calls differ by weekday, so only the same
  // weekday compares the engine's own cost. Day 16 is past the 12 days the goal names.
  await engine.advanceBy(86_400_000);
  const day1 = await hourCost();
  const keys1 = await keyTimes();
  await engine.advanceBy(T0 + 15 * 86_400_000 - engine.now);
  const day12 = await hourCost();
  const keys12 = await keyTimes();
  console.log('aging: the engine at --speed 3600 (12 simulated minutes a tick), 5 simulated hours, and 60 keys in the main window');
  console.log('  day 2 (Wed):  %s ms of engine time a simulated hour, tick p95 %s ms; key to frame p95 %s ms', (sum(day1) / 5).toFixed(1), p95(day1).toFixed(2), p95(keys1).toFixed(2));
  console.log('  day 16 (Wed): %s ms of engine time a simulated hour, tick p95 %s ms; key to frame p95 %s ms (goals: no more than day 2; keys < 16 ms)', (sum(day12) / 5).toFixed(1), p95(day12).toFixed(2), p95(keys12).toFixed(2));
}
