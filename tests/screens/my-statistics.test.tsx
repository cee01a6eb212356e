import { afterEach, describe, expect, it } from 'vitest';
import { CallResult } from '../../src/engine/domain.js';
import { setCampaignStatus } from '../../src/engine/dialer/desk-dialer.js';
import { dialPreview, endCall, requestPreviewRecord } from '../../src/engine/outbound.js';
import { startOfAgentDay } from '../../src/engine/my-statistics.js';
import { demoEngine, testZones, T0 } from '../helpers/world.js';
import { mountDesk } from '../helpers/desk.js';

const mounted: (() => void)[] = [];
afterEach(() => {
  for (const m of mounted.splice(0)) m();
});

describe('My Statistics', () => {
  it("shows the agent's calls of the day from the call log: handled, talk time, dialled, connected", async () => {
    const e = await demoEngine(5);
    // Only the Preview campaign: the dialer brings no calls of its own.
    for (const id of Object.keys(e.state.campaigns)) if (id !== 'care-follow-up' && e.state.campaigns[id].status === 'Started') await setCampaignStatus(e, id, 'Stopped');
    e.unschedule((ev) => ev.type === 'CampaignStart');
    await e.login('a.lopez', 'P');
    // Preview calls until one is answered, each ended and done.
    let answered = 0;
    let dialled = 0;
    let talkMs = 0;
    for (let i = 0; i < 10 && answered === 0; i++) {
      const got = await requestPreviewRecord(e, 'care-follow-up');
      expect(got.ok).toBe(true);
      const it = got.ok ? got.value : null;
      await dialPreview(e, it!.id);
      dialled++;
      for (let s = 0; s < 120 && e.state.interactions[it!.id]?.state === 'dialing'; s++) await e.advanceBy(1000);
      const connected = e.state.interactions[it!.id]?.outbound?.callResult === CallResult.Answer;
      if (connected) {
        answered++;
        await e.advanceBy(95_000);
        talkMs = 95_000;
      }
      await endCall(e, it!.id);
      await e.markDone(it!.id);
    }
    expect(answered).toBe(1);
    const desk = await mountDesk(e);
    mounted.push(desk.unmount);
    await desk.keys('7');
    await desk.until((s) => s.includes('Calls handled'), 'with the figures');
    const screen = desk.screen();
    expect(screen).toContain('My Statistics · today, Tue 24 Nov from 00:00');
    expect(screen).toMatch(/Calls handled\s+1\b/);
    expect(screen).toMatch(new RegExp(`Talk time\\s+${Math.floor(talkMs / 60_000)}:${String((talkMs / 1000) % 60).padStart(2, '0')}\\b`));
    expect(screen).toMatch(new RegExp(`Numbers dialled\\s+${dialled}\\b`));
    expect(screen).toMatch(new RegExp(`Records delivered\\s+${dialled}\\b`));
    expect(screen).toMatch(/Calls connected\s+1\b/);
    expect(screen).toMatch(/Callbacks set\s+0\b/);
    await desk.keys('esc');
    expect(desk.screen()).not.toContain('Calls handled');
  });

  it("counts from the agent's midnight, across a daylight-saving change too", () => {
    const zones = testZones();
    expect(startOfAgentDay(zones, 'America/New_York', T0)).toBe(Date.UTC(2026, 10, 24, 5, 0, 0));
    // 8 March 2026, New York springs forward at 02:00: the day still begins at 00:00 EST.
    expect(startOfAgentDay(zones, 'America/New_York', Date.UTC(2026, 2, 8, 20, 0, 0))).toBe(Date.UTC(2026, 2, 8, 5, 0, 0));
    // Santiago springs forward at midnight (6 Sep 2026): the day begins at 01:00, the transition.
    const start = startOfAgentDay(zones, 'America/Santiago', Date.UTC(2026, 8, 6, 18, 0, 0));
    expect(zones.toWall('America/Santiago', start)).toMatchObject({ day: 6, hour: 1, minute: 0 });
  });
});
