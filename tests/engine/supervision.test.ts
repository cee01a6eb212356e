import { describe, expect, it } from 'vitest';
import { DialingMode, RecordStatus, RecordType } from '../../src/engine/domain.js';
import { abandonTargetRefusal, campaignStatusRefusal, setCampaignStatus, setSimulatedColleagues, setTargetAbandonRate } from '../../src/engine/dialer/desk-dialer.js';
import { requestLogout } from '../../src/engine/logout.js';
import { endCall } from '../../src/engine/outbound.js';
import { callbacksByOwner, callbacksDue, campaignBoard, pendingLogouts, supervisedAgents } from '../../src/engine/supervision.js';
import { allRecords, changeRecords, demoEngine, T0 } from '../helpers/world.js';

const MIN = 60_000;

describe("what a supervisor watches", () => {
  it('shows each campaign with its live figures, its abandon rate against the target and the agents at desktops', async () => {
    const e = await demoEngine(5);
    await e.login('a.lopez', 'P');
    await e.advanceBy(5 * MIN);
    const board = campaignBoard(e);
    expect(board.map((r) => r.id)).toEqual(Object.keys(e.state.campaigns).sort());
    const q4 = board.find((r) => r.id === 'collections-q4')!;
    const c = e.state.campaigns['collections-q4'];
    expect(q4).toMatchObject({ status: 'Started', mode: 'Predictive', attempts: c.figures!.attempts, connects: c.figures!.liveAnswers, target: c.targetAbandonRate });
    expect(q4.attempts).toBeGreaterThan(0);
    expect(q4.abandonRate).toBe(c.figures!.liveAnswers ? c.figures!.abandoned / c.figures!.liveAnswers : null);
    expect(q4.overTarget).toBe(q4.abandonRate !== null && q4.abandonRate > q4.target);
    // The agent at the desktop counts once, Ready or busy; the simulated colleagues apart.
    expect(q4.ready + q4.busy).toBe(1);
    expect(q4.colleagues).toBeGreaterThan(0);
    const me = supervisedAgents(e).find((a) => a.id === 'a.lopez')!;
    expect(me.kind).toBe('real');
    expect(me.inStateMs).toBe(e.now - me.since!);
  });

  it('keeps the checks of its keys in the commands: a refused transition or target changes nothing', async () => {
    const e = await demoEngine(5);
    const c = e.state.campaigns['collections-q4'];
    expect(campaignStatusRefusal(c, 'Loaded')).toMatch(/Collections Q4 is Started; it can go to Stopped/);
    const refused = await setCampaignStatus(e, c.id, 'Loaded');
    expect(refused).toEqual({ ok: false, error: campaignStatusRefusal(c, 'Loaded') });
    expect(abandonTargetRefusal(0.25)).toMatch(/0% to 20%/);
    expect(await setTargetAbandonRate(e, c.id, 0.25)).toMatchObject({ ok: false });
    expect(e.state.campaigns[c.id].targetAbandonRate).toBe(0.03);
    expect(await setTargetAbandonRate(e, c.id, 0.045)).toMatchObject({ ok: true });
    expect(e.state.campaigns[c.id].targetAbandonRate).toBe(0.045);
    expect(campaignBoard(e).find((r) => r.id === c.id)!.target).toBe(0.045);
  });

  it('keeps the simulated colleagues a campaign is given, none at all included, from its next start', async () => {
    const e = await demoEngine(5);
    await e.login('a.lopez', 'P');
    await e.advanceBy(MIN);
    expect(campaignBoard(e).find((r) => r.id === 'policy-renewals')!.colleagues).toBe(12);
    expect(await setSimulatedColleagues(e, 'policy-renewals', -1)).toMatchObject({ ok: false });
    expect(await setSimulatedColleagues(e, 'policy-renewals', 0)).toMatchObject({ ok: true });
    await setCampaignStatus(e, 'policy-renewals', 'Stopped');
    await setCampaignStatus(e, 'policy-renewals', 'Started');
    await e.advanceBy(MIN);
    const row = campaignBoard(e).find((r) => r.id === 'policy-renewals')!;
    expect(row.colleagues).toBe(0);
    expect(e.state.dialer.groups!['policy-renewals'].colleagueState).toEqual([]);
    expect(e.state.campaigns['policy-renewals'].dialingMode).toBe(DialingMode.Progressive);
  });

  it('lists the callbacks due in the next hour by owner, and the negotiated logouts under way', async () => {
    const e = await demoEngine(5);
    await e.login('a.lopez', 'P');
    // Two open callbacks due in the hour: one personal (a.lopez's), one for the campaign.
    const ids = (await allRecords(e)).filter((r) => r.campaign_id === 'care-follow-up' && r.record_type === RecordType.General).slice(0, 2).map((r) => r.record_id);
    expect(ids.length).toBe(2);
    await changeRecords(e, ids, (r) => {
      const personal = r.record_id === ids[0];
      r.record_type = personal ? RecordType.PersonalCallback : RecordType.CampaignCallback;
      r.agent_id = personal ? 'a.lopez' : null;
      r.record_status = RecordStatus.Ready;
      r.dialSchedAt = T0 + (personal ? 20 : 40) * MIN;
    });
    const due = await e.read((q) => callbacksDue(q, e.now));
    const mine = due.filter((d) => ids.includes(d.recordId));
    expect(mine.map((d) => [d.recordId, d.owner])).toEqual([
      [ids[0], 'a.lopez'],
      [ids[1], null],
    ]);
    for (const d of due) expect(d.dueAt - e.now).toBeLessThanOrEqual(60 * MIN);
    const owners = callbacksByOwner(due);
    expect(owners.reduce((n, o) => n + o.count, 0)).toBe(due.length);
    expect(owners.find((o) => o.owner === 'a.lopez')!.count).toBeGreaterThanOrEqual(1);

  });

  it('shows a negotiated logout waiting for the call the dialer is connecting, until the agent is out', async () => {
    const e = await demoEngine(5);
    await setCampaignStatus(e, 'policy-renewals', 'Stopped');
    await e.login('a.lopez', 'P');
    for (const ch of ['chat', 'email', 'sms'] as const) await e.setChannel(ch, 'NotReady');
    // Until the dialer is ringing a number for the agent (bounded: a few simulated minutes).
    for (let i = 0; i < 600 && !e.state.dialer.inFlight.some((c) => c.agentId === 'a.lopez'); i++) await e.advanceBy(1000);
    expect(e.state.dialer.inFlight.some((c) => c.agentId === 'a.lopez')).toBe(true);
    expect(pendingLogouts(e)).toEqual([]);
    const r = await requestLogout(e, 'main');
    expect(r.ok && r.value.waitSec).toBeGreaterThan(0);
    const [pending] = pendingLogouts(e);
    expect(pending).toMatchObject({ agentId: 'a.lopez', name: 'Ana Lopez', requestedAt: e.now });
    // Out within the cap (30 s) once no call holds it; a connected call is ended for it.
    for (let i = 0; i < 300 && e.sessionOf('a.lopez'); i++) {
      await e.advanceBy(1000);
      for (const it of e.openInteractions()) {
        await endCall(e, it.id);
        await e.markDone(it.id);
      }
    }
    expect(e.sessionOf('a.lopez')).toBeFalsy();
    expect(pendingLogouts(e)).toEqual([]);
  });
});
