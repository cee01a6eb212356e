import { describe, expect, it } from 'vitest';
import { createCampaignSim } from '../../src/engine/dialer/campaign-sim.js';
import { setCampaignStatus } from '../../src/engine/dialer/desk-dialer.js';
import { DEFAULT_RATES, DEFAULT_TARGET_ABANDON, groupRandom } from '../../src/engine/dialer/group-dialer.js';
import { demoEngine } from '../helpers/world.js';

/**
 * One dialer simulation (group-loop.ts), two drivers: the desk runs it on the engine's event
 * queue, saving the group with the world between timers; `sim` on a heap of its own. With nobody
 * at a desktop in the group, a campaign start at the desk and `sim` given the same colleagues,
 * rates and random stream must place the same calls and get the same answers and abandons, at
 * every minute: any rule kept twice, or sequenced another way, shows here.
 */
describe('one dialer simulation, at the desk and in sim', () => {
  it.each([
    ['collections-q4', 'predictive', 5],
    ['collections-q4', 'predictive', 8],
    ['policy-renewals', 'progressive', 5],
  ] as const)('%s (%s, seed %i): the colleagues place the calls sim places, minute by minute', async (id, mode, seed) => {
    const e = await demoEngine(seed);
    for (const other of Object.keys(e.state.campaigns)) if (e.state.campaigns[other].status === 'Started') await setCampaignStatus(e, other, 'Stopped');
    e.unschedule((ev) => ev.type === 'CampaignStart');
    expect((await setCampaignStatus(e, id, 'Started')).ok).toBe(true);
    const c = e.state.campaigns[id];
    const startedAt = c.startedAt!;
    const colleagues = e.state.dialer.groups![id].colleagueState.length;
    expect(colleagues).toBeGreaterThan(5);
    const rates = c.sim ?? DEFAULT_RATES;
    const run = createCampaignSim({ mode, agents: colleagues, hours: 3, ...rates, targetAbandon: c.targetAbandonRate ?? DEFAULT_TARGET_ABANDON, seed: 0, rng: groupRandom(e.state.seed, id, startedAt), start: startedAt });
    const seen: string[] = [];
    const sims: string[] = [];
    for (let m = 1; m <= 180; m++) {
      await e.advanceBy(60_000);
      run.runUntil((e.now - startedAt) / 1000);
      const d = e.state.campaigns[id].figures!;
      const s = run.figures((e.now - startedAt) / 1000);
      seen.push(`${m}: ${d.attempts} ${d.liveAnswers} ${d.abandoned}`);
      sims.push(`${m}: ${s.attempts} ${s.liveAnswers} ${s.abandoned}`);
    }
    expect(seen).toEqual(sims);
    // A run with calls, answers and (Predictive) the controller at work, not an idle one.
    const last = run.figures(3 * 3600);
    expect(last.attempts).toBeGreaterThan(300);
    expect(last.liveAnswers).toBeGreaterThan(80);
  });
});
