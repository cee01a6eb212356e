import { describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/engine.js';
import { setCampaignStatus } from '../../src/engine/dialer/desk-dialer.js';
import { endCall } from '../../src/engine/outbound.js';
import { logoutRemainingMs, requestLogout } from '../../src/engine/logout.js';
import { CallResult } from '../../src/engine/domain.js';
import { demoEngine } from '../helpers/world.js';

/** Only Collections Q4 (Predictive) runs; no chat, email or SMS. */
async function predictiveDesk(seed = 5): Promise<Engine> {
  const e = await demoEngine(seed);
  await setCampaignStatus(e, 'policy-renewals', 'Stopped');
  e.unschedule((ev) => ev.type === 'CampaignStart');
  await e.login('a.lopez', 'P');
  for (const ch of ['chat', 'email', 'sms'] as const) await e.setChannel(ch, 'NotReady');
  return e;
}

/** Advances until the dialer has a call ringing for the agent whose outcome is `live` or not. */
async function untilRinging(e: Engine, live: boolean): Promise<void> {
  for (let i = 0; i < 5000; i++) {
    const call = e.state.dialer.inFlight[0];
    const isLive = call && (call.result === CallResult.Answer || call.result === CallResult.WrongParty);
    if (call && isLive === live && e.openInteractions().length === 0) return;
    await e.advanceBy(1000);
    // Finish anything the dialer connected, so it keeps dialing.
    for (const it of e.openInteractions()) {
      await endCall(e, it.id);
      await e.markDone(it.id);
    }
  }
  throw new Error('no such call');
}

describe('negotiated logout', () => {
  it('is immediate for an agent in no progressive or predictive campaign', async () => {
    const e = await demoEngine(5);
    for (const id of ['collections-q4', 'policy-renewals']) await setCampaignStatus(e, id, 'Stopped');
    await e.login('a.lopez', 'P');
    expect(await requestLogout(e, 'main')).toEqual({ ok: true, value: { waitSec: 0 } });
    expect(e.agentId).toBeNull();
  });

  it('waits for the call being dialed: its remaining ring plus answer detection, then authorizes and logs out', async () => {
    const e = await predictiveDesk();
    await untilRinging(e, false);
    const call = e.state.dialer.inFlight[0];
    const r = await requestLogout(e, 'main');
    expect(r.ok).toBe(true);
    const wait = Math.ceil((call.ringEnd - e.now) / 1000);
    expect(r.ok && r.value.waitSec).toBe(Math.min(30, wait));
    expect((await e.messagesFor('a.lopez'))[0].subject).toBe('Awaiting logoff authorization');
    const attempts = e.state.campaigns['collections-q4'].deskStats!.attempts;
    await e.advanceBy(wait * 1000 - 1000);
    expect(logoutRemainingMs(e)).toBe(1000);
    expect(e.state.campaigns['collections-q4'].deskStats!.attempts).toBe(attempts); // no new calls
    await e.advanceBy(1000);
    expect(e.myLogout?.authorized).toBe(true);
    expect((await e.messagesFor('a.lopez'))[0].subject).toBe('Logout authorized');
    expect(e.agentId).toBe('a.lopez');
    await e.advanceBy(3000);
    expect(e.agentId).toBeNull();
  });

  it('delivers a call that connects during the countdown; the countdown resumes once it is done', async () => {
    const e = await predictiveDesk();
    await untilRinging(e, true);
    const call = e.state.dialer.inFlight[0];
    const r = await requestLogout(e, 'voice');
    expect(r.ok).toBe(true);
    await e.advanceTo(call.ringEnd);
    const it = e.openInteractions()[0];
    expect(it?.state).toBe('connected');
    expect(e.myLogout?.authorizedAt).toBeNull(); // paused
    await e.advanceBy(5 * 60_000);
    expect(e.agentId).toBe('a.lopez');
    expect(e.myLogout?.authorized).toBe(false);
    await endCall(e, it.id);
    await e.markDone(it.id);
    const resumed = e.myLogout!.authorizedAt!;
    expect(resumed).toBeGreaterThanOrEqual(e.now);
    expect(resumed).toBeLessThanOrEqual(e.now + 1000);
    await e.advanceBy(1000);
    expect(e.myLogout?.authorized).toBe(true);
    await e.advanceBy(3000);
    expect(e.agentId).toBeNull();
  });
});
