import { describe, expect, it } from 'vitest';
import { CallResult, DialingMode, RecordStatus } from '../../src/engine/domain.js';
import type { Engine } from '../../src/engine/engine.js';
import { campaignFigures, setCampaignStatus, setDialingMode } from '../../src/engine/dialer/desk-dialer.js';
import { answerPushPreview, endCall } from '../../src/engine/outbound.js';
import { allRecords, demoEngine, interactionOf, recordOf } from '../helpers/world.js';

const MIN = 60_000;
const only = async (e: Engine, keep: string) => {
  for (const id of Object.keys(e.state.campaigns)) if (id !== keep && e.state.campaigns[id].status === 'Started') await setCampaignStatus(e, id, 'Stopped');
  e.unschedule((ev) => ev.type === 'CampaignStart');
  for (const ch of ['chat', 'email', 'sms'] as const) await e.setChannel(ch, 'NotReady');
};

describe('the dialer at the desk', () => {
  it('Progressive: dials for a Ready agent and connects only live answers, with the contact\'s data', async () => {
    const e = await demoEngine(5);
    await e.login('a.lopez', 'P');
    await only(e, 'policy-renewals');
    for (let i = 0; i < 60 && !e.openInteractions().length; i++) await e.advanceBy(MIN);
    const it = e.openInteractions()[0];
    expect(it.state).toBe('connected');
    expect(it.outbound).toMatchObject({ origin: 'Dialer' });
    expect([CallResult.Answer, CallResult.WrongParty]).toContain(it.outbound!.callResult);
    expect(it.caseData.GSW_CAMPAIGN_NAME).toBe('Policy Renewals');
    const stats = e.state.campaigns['policy-renewals'].deskStats!;
    expect(stats.attempts).toBeGreaterThanOrEqual(stats.liveAnswers);
    expect(stats.liveAnswers).toBeGreaterThanOrEqual(1);
    // Busy on the call: no more dialing for this agent.
    const attempts = stats.attempts;
    await e.advanceBy(10 * MIN);
    expect(e.state.campaigns['policy-renewals'].deskStats!.attempts).toBe(attempts);
    await endCall(e, it.id);
    await e.markDone(it.id);
    await e.advanceBy(10 * MIN);
    expect(e.state.campaigns['policy-renewals'].deskStats!.attempts).toBeGreaterThan(attempts);
  });

  it('treats each call result as the simulation does: busy and no answer later, wrong numbers finished', async () => {
    const e = await demoEngine(5);
    await e.login('a.lopez', 'P');
    await only(e, 'policy-renewals');
    // The agent takes each connected call and finishes it at once, so the dialer keeps going.
    for (let i = 0; i < 240; i++) {
      await e.advanceBy(MIN);
      for (const it of e.openInteractions()) {
        await endCall(e, it.id);
        await e.markDone(it.id);
      }
    }
    const dialed = (await allRecords(e)).filter((r) => r.campaign_id === 'policy-renewals' && r.attempt > 0);
    const retried = dialed.filter((r) => r.call_result === CallResult.Busy || r.call_result === CallResult.NoAnswer);
    const finished = dialed.filter((r) => r.call_result === CallResult.WrongNumber || r.call_result === CallResult.SITInvalidNumber || r.call_result === CallResult.FaxDetected);
    expect(retried.length + finished.length).toBeGreaterThan(0);
    for (const r of retried) {
      if (r.attempt >= 5) continue;
      expect(r.record_status).toBe(RecordStatus.Ready);
      // Not before the interval after the last dial: 15 minutes when busy, an hour on no answer.
      expect(r.dialSchedAt! - r.callAt!).toBeGreaterThanOrEqual(r.call_result === CallResult.Busy ? 15 * 60_000 : 60 * 60_000);
    }
    for (const r of finished) expect(r.record_status).toBe(RecordStatus.Updated);
  });

  it('never dials for an agent who is Not Ready or logged out', async () => {
    const e = await demoEngine(5);
    await e.login('a.lopez', 'P');
    await only(e, 'collections-q4');
    await e.setStatus('NotReady');
    await e.advanceBy(30 * MIN);
    expect(e.state.campaigns['collections-q4'].deskStats?.attempts ?? 0).toBe(0);
    await e.logout();
    await e.advanceBy(30 * MIN);
    expect(e.state.campaigns['collections-q4'].deskStats?.attempts ?? 0).toBe(0);
  });

  it('Push Preview: pushes records to accept, reject (back to the list) or decline (cancelled)', async () => {
    const e = await demoEngine(5);
    await e.login('a.lopez', 'P');
    await setCampaignStatus(e, 'collections-q4', 'Stopped');
    await setCampaignStatus(e, 'policy-renewals', 'Stopped');
    for (const ch of ['chat', 'email', 'sms'] as const) await e.setChannel(ch, 'NotReady');
    await e.advanceBy(20 * MIN); // Winter Appeal starts
    for (let i = 0; i < 60 && !e.openInteractions().some((x) => x.outbound?.origin === 'PushPreview'); i++) await e.advanceBy(10_000);
    const first = e.openInteractions().find((x) => x.outbound?.origin === 'PushPreview')!;
    expect(first.state).toBe('alerting');
    const rec1 = first.outbound!.recordId;
    expect(await answerPushPreview(e, first.id, 'reject')).toMatchObject({ ok: true });
    expect((await recordOf(e, rec1))!.record_status).toBe(RecordStatus.Ready);
    for (let i = 0; i < 60 && !e.openInteractions().some((x) => x.outbound?.origin === 'PushPreview'); i++) await e.advanceBy(10_000);
    const second = e.openInteractions().find((x) => x.outbound?.origin === 'PushPreview')!;
    expect(await answerPushPreview(e, second.id, 'decline')).toMatchObject({ ok: true });
    expect((await recordOf(e, second.outbound!.recordId))!.record_status).toBe(RecordStatus.Cancelled);
    for (let i = 0; i < 60 && !e.openInteractions().some((x) => x.outbound?.origin === 'PushPreview'); i++) await e.advanceBy(10_000);
    const third = e.openInteractions().find((x) => x.outbound?.origin === 'PushPreview')!;
    expect((await e.acceptInteraction(third.id)).ok).toBe(true);
    expect((await interactionOf(e, third.id))!.state).toBe('preview');
  });

  it('runs the campaign lifecycle and tells the agents of a start and of a mode change', async () => {
    const e = await demoEngine(5);
    await e.login('a.lopez', 'P');
    expect((await setCampaignStatus(e, 'collections-q4', 'Unloaded')).ok).toBe(false);
    expect((await setCampaignStatus(e, 'collections-q4', 'Stopped')).ok).toBe(true);
    expect((await setCampaignStatus(e, 'collections-q4', 'Unloaded')).ok).toBe(true);
    expect(e.myCampaigns().some((c) => c.id === 'collections-q4')).toBe(false);
    expect((await setCampaignStatus(e, 'collections-q4', 'Loaded')).ok).toBe(true);
    await e.advanceBy(MIN);
    expect((await setCampaignStatus(e, 'collections-q4', 'Started')).ok).toBe(true);
    expect((await e.messagesFor('a.lopez'))[0].subject).toBe('Campaign Collections Q4 started');
    expect((await setDialingMode(e, 'collections-q4', DialingMode.Progressive)).ok).toBe(true);
    expect((await e.messagesFor('a.lopez'))[0].subject).toBe('Campaign Collections Q4 now dials Progressive');
  });

  it('gives My Campaigns live figures that follow the clock', async () => {
    const e = await demoEngine(5);
    expect(campaignFigures(e, 'winter-appeal')).toBeNull(); // Loaded: not dialing yet
    const a = campaignFigures(e, 'collections-q4')!;
    expect(a.attempts).toBeGreaterThan(0);
    expect(a.abandonRate).toBeLessThanOrEqual(0.03);
    await e.advanceBy(30 * MIN);
    const b = campaignFigures(e, 'collections-q4')!;
    expect(b.attempts).toBeGreaterThan(a.attempts);
  });
});
