import fs from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import type { Engine } from '../../src/engine/engine.js';
import { campaignFigures, setCampaignStatus } from '../../src/engine/dialer/desk-dialer.js';
import { groupPacingInput } from '../../src/engine/dialer/group-dialer.js';
import { linesToDial, type PacingInput } from '../../src/engine/dialer/pacing.js';
import * as campaignSim from '../../src/engine/dialer/campaign-sim.js';
import { endCall } from '../../src/engine/outbound.js';
import { demoEngine, restart } from '../helpers/world.js';

vi.mock('../../src/engine/dialer/campaign-sim.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../src/engine/dialer/campaign-sim.js')>();
  return { ...orig, createCampaignSim: vi.fn(orig.createCampaignSim), runCampaignSim: vi.fn(orig.runCampaignSim) };
});

const MIN = 60_000;
const HOUR = 60 * MIN;

/** Only the given campaign runs; the agent works voice only and finishes each call at once. */
async function desk(seed: number, keep: string, opts: { login?: boolean; target?: number } = {}): Promise<Engine> {
  const e = await demoEngine(seed);
  for (const id of Object.keys(e.state.campaigns)) if (id !== keep && e.state.campaigns[id].status === 'Started') await setCampaignStatus(e, id, 'Stopped');
  e.unschedule((ev) => ev.type === 'CampaignStart');
  if (opts.target !== undefined) {
    await e.exclusive(() => {
      e.mut.campaigns[keep].targetAbandonRate = opts.target!;
      e.touch('campaign', keep);
    });
  }
  if (opts.login ?? true) {
    await e.login('a.lopez', 'P');
    for (const ch of ['chat', 'email', 'sms'] as const) await e.setChannel(ch, 'NotReady');
  }
  return e;
}

/** Advances minute by minute, the agent finishing whatever the dialer connected. */
async function work(e: Engine, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += MIN) {
    await e.advanceBy(MIN);
    for (const it of e.openInteractions()) {
      await endCall(e, it.id);
      await e.markDone(it.id);
    }
  }
}

describe('the group dialer at the desk (one pacing model with sim)', () => {
  it.each([
    [5, 0.03],
    [6, 0.03],
    [5, 0.01],
  ])('Predictive, seed %i: the abandon rate over hours of the desk and colleagues stays at or under the target %f', async (seed, target) => {
    const e = await desk(seed, 'collections-q4', { target });
    const before = e.state.campaigns['collections-q4'].figures!;
    const [l0, a0, n0] = [before.liveAnswers, before.abandoned, before.attempts];
    await work(e, 4 * HOUR);
    const f = e.state.campaigns['collections-q4'].figures!;
    const live = f.liveAnswers - l0;
    expect(f.attempts - n0).toBeGreaterThan(1000);
    expect(live).toBeGreaterThan(300);
    expect((f.abandoned - a0) / live).toBeLessThanOrEqual(target);
    // The agent at the keyboard is part of the group: the dialer gave them calls too.
    expect(e.state.campaigns['collections-q4'].deskStats!.liveAnswers).toBeGreaterThan(10);
    const shown = campaignFigures(e, 'collections-q4')!;
    expect(shown.abandonRate).toBeLessThanOrEqual(target === 0.03 ? 0.03 : 0.02);
    expect(shown.occupancy).toBeGreaterThan(0.5);
  });

  it('Progressive at the desk never abandons: one line per free agent', async () => {
    const e = await desk(5, 'policy-renewals');
    const before = e.state.campaigns['policy-renewals'].figures!;
    await work(e, 3 * HOUR);
    const f = e.state.campaigns['policy-renewals'].figures!;
    expect(f.attempts).toBeGreaterThan(before.attempts + 500);
    expect(f.abandoned).toBe(before.abandoned);
    // The pacing decision is read inside a transaction, as the dialer reads it.
    const input = (await e.exclusive(() => groupPacingInput(e, 'policy-renewals')))!;
    expect(input.mode).toBe('progressive');
    expect(input.ringing + input.waiting).toBeLessThanOrEqual(input.loggedIn);
  });

  it('asks the one pacing module as sim does: the decision is pacing.ts linesToDial of the live statistics', async () => {
    // One loop (group-loop.ts) asks pacing.ts for the decision and the controller; both drivers
    // run that loop, and none keeps a formula or a controller of its own.
    const loopSrc = fs.readFileSync('src/engine/dialer/group-loop.ts', 'utf8');
    expect(loopSrc).toMatch(/linesToDial\(/);
    expect(loopSrc).toMatch(/steer\(/);
    for (const f of ['src/engine/dialer/group-loop.ts', 'src/engine/dialer/campaign-sim.ts', 'src/engine/dialer/group-dialer.ts']) {
      const src = fs.readFileSync(f, 'utf8');
      if (f !== 'src/engine/dialer/group-loop.ts') {
        expect(src).toMatch(/from '\.\/group-loop\.js'/);
        expect(src).not.toMatch(/\bsteer\(/);
      }
      expect(src).not.toMatch(/Math\.exp\(/);
    }
    const e = await desk(5, 'collections-q4');
    await work(e, 30 * MIN);
    const input = (await e.exclusive(() => groupPacingInput(e, 'collections-q4')))!;
    expect(input.mode).toBe('predictive');
    expect(input.loggedIn).toBe(13); // twelve colleagues and the agent at the keyboard
    expect(input.hitRate).toBeGreaterThan(0.2);
    expect(input.hitRate).toBeLessThan(0.4);
    expect(linesToDial(input)).toBeLessThanOrEqual(3 * input.loggedIn);
    // The same input, the same decision, whoever asks.
    const sample = fc.record({
      mode: fc.constantFrom('progressive' as const, 'predictive' as const),
      loggedIn: fc.integer({ min: 0, max: 200 }),
      free: fc.integer({ min: 0, max: 200 }),
      waiting: fc.integer({ min: 0, max: 20 }),
      ringing: fc.integer({ min: 0, max: 300 }),
      hitRate: fc.double({ min: 0.02, max: 0.9, noNaN: true }),
      ringLiveSec: fc.double({ min: 3, max: 30, noNaN: true }),
      handleSec: fc.double({ min: 20, max: 600, noNaN: true }),
      k: fc.double({ min: 0.15, max: 1.6, noNaN: true }),
    });
    fc.assert(
      fc.property(sample, (p0) => {
        const p: PacingInput = { ...p0, free: Math.min(p0.free, p0.loggedIn) };
        const n = linesToDial(p);
        expect(n).toBeGreaterThanOrEqual(0);
        if (p.loggedIn === 0) expect(n).toBe(0);
        if (p.mode === 'progressive') expect(n).toBe(Math.max(0, p.free - p.ringing - p.waiting));
        else expect(n).toBeLessThanOrEqual(3 * p.loggedIn);
      }),
    );
  });

  it('keeps the figures across a restart: the same figures, and the run goes on as if never stopped', async () => {
    const a = await desk(7, 'collections-q4');
    await work(a, 90 * MIN);
    const before = campaignFigures(a, 'collections-q4');
    const b = await restart(a);
    expect(campaignFigures(b, 'collections-q4')).toEqual(before);
    expect(b.state.campaigns['collections-q4'].figures).toEqual(a.state.campaigns['collections-q4'].figures);
    await work(b, 60 * MIN);
    const straight = await desk(7, 'collections-q4');
    await work(straight, 150 * MIN);
    expect(campaignFigures(b, 'collections-q4')).toEqual(campaignFigures(straight, 'collections-q4'));
  });

  it('advancing hours does work in proportion to the calls: figures are counted, nothing re-simulates', async () => {
    const e = await desk(5, 'collections-q4', { login: false });
    vi.mocked(campaignSim.createCampaignSim).mockClear();
    vi.mocked(campaignSim.runCampaignSim).mockClear();
    let timers = 0;
    e.on('timerFired', () => {
      timers++;
    });
    const perHour: number[] = [];
    for (let h = 0; h < 6; h++) {
      const t0 = timers;
      await e.advanceBy(HOUR);
      perHour.push(timers - t0);
      // Reading the figures is a read: no timer, no change.
      const rev = e.revision;
      const f = campaignFigures(e, 'collections-q4')!;
      expect(campaignFigures(e, 'collections-q4')).toEqual(f);
      expect(e.revision).toBe(rev);
    }
    // About the same work each hour (a few thousand timers for twelve colleagues), not growing with the hours run.
    expect(Math.max(...perHour)).toBeLessThan(2 * Math.min(...perHour));
    expect(Math.min(...perHour)).toBeGreaterThan(500);
    expect(campaignSim.createCampaignSim).not.toHaveBeenCalled();
    expect(campaignSim.runCampaignSim).not.toHaveBeenCalled();
  });

  it('the colleagues leave after their shift; with nobody logged in the dialer stops', async () => {
    const e = await desk(5, 'collections-q4', { login: false });
    const c = e.state.campaigns['collections-q4'];
    await e.advanceTo(c.startedAt! + 24 * HOUR + 5 * MIN);
    const f = campaignFigures(e, 'collections-q4')!;
    await e.advanceBy(2 * HOUR);
    expect(campaignFigures(e, 'collections-q4')!.attempts).toBe(f.attempts);
    expect(e.state.dialer.groups!['collections-q4'].colleaguesIn).toBe(0);
    // The agent at the keyboard works on alone; once they log out, nobody counts as logged in.
    await e.login('a.lopez', 'P');
    for (const ch of ['chat', 'email', 'sms'] as const) await e.setChannel(ch, 'NotReady');
    await work(e, 30 * MIN);
    const worked = campaignFigures(e, 'collections-q4')!;
    expect(worked.attempts).toBeGreaterThan(f.attempts);
    expect(e.state.campaigns['collections-q4'].figures!.loggedAgents).toBe(1);
    await e.logout();
    await e.advanceBy(HOUR);
    expect(e.state.campaigns['collections-q4'].figures!.loggedAgents).toBe(0);
    const occupancy = campaignFigures(e, 'collections-q4')!.occupancy;
    await e.advanceBy(HOUR);
    expect(campaignFigures(e, 'collections-q4')!.occupancy).toBe(occupancy);
  });

  it('reads a campaign saved without a target abandon rate at the 3 percent default', async () => {
    const e = await desk(5, 'collections-q4');
    await e.exclusive(() => {
      delete (e.mut.campaigns['collections-q4'] as { targetAbandonRate?: number }).targetAbandonRate;
      e.touch('campaign', 'collections-q4');
    });
    const b = await restart(e);
    const before = b.state.campaigns['collections-q4'].figures!;
    await work(b, 2 * HOUR);
    const f = b.state.campaigns['collections-q4'].figures!;
    expect(f.attempts).toBeGreaterThan(before.attempts);
    expect((f.abandoned - before.abandoned) / (f.liveAnswers - before.liveAnswers)).toBeLessThanOrEqual(0.03);
  });
});
