import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CallResult, RecordStatus, RecordType } from '../../src/engine/domain.js';
import { Engine } from '../../src/engine/engine.js';
import { DEMO_ZONES } from '../../src/engine/demo-world.js';
import {
  addChainNumber,
  dialPreview,
  endCall,
  quoteReschedule,
  requestPreviewRecord,
  setPendingReschedule,
  type RescheduleInput,
} from '../../src/engine/outbound.js';
import { withinContactHours } from '../../src/engine/callbacks.js';
import { setCampaignStatus } from '../../src/engine/dialer/desk-dialer.js';
import { ContactInfoType } from '../../src/engine/domain.js';
import { T0, demoEngine, testZones, allRecords, allContacts, changeRecords, interactionOf, recordOf, restart } from '../helpers/world.js';

const MIN = 60_000;

/** Only the Preview campaign runs: no dialer calls for the agent in these tests. */
async function quietDesk(e: Engine): Promise<Engine> {
  for (const id of ['collections-q4', 'policy-renewals']) await setCampaignStatus(e, id, 'Stopped');
  e.unschedule((ev) => ev.type === 'CampaignStart');
  return e;
}

async function connectedCall(e: Engine, campaign = 'care-follow-up') {
  await quietDesk(e);
  await e.login('a.lopez', 'P');
  const r = await requestPreviewRecord(e, campaign);
  if (!r.ok) throw new Error(r.error);
  let it = r.value;
  // Dial until someone answers (the outcome is seeded).
  for (let i = 0; i < 20; i++) {
    expect((await dialPreview(e, it.id)).ok).toBe(true);
    await e.advanceBy(40_000);
    if ((await interactionOf(e, it.id))!.state === 'connected') return (await interactionOf(e, it.id))!;
    expect((await e.markDone(it.id)).ok).toBe(true);
    const next = await requestPreviewRecord(e, campaign);
    if (!next.ok) throw new Error(next.error);
    it = next.value;
  }
  throw new Error('nobody answered');
}

function wallInput(_e: Engine, recordId: number, wall: { year: number; month: number; day: number; hour: number; minute: number }, personal: boolean, extra: Partial<RescheduleInput> = {}): RescheduleInput {
  return { recordId, when: { kind: 'wall', wall, hasTime: true }, personal, agentId: 'a.lopez', ...extra };
}

/** The Reschedule Callback form's quote, read from what was committed (as the form reads it). */
const quote = (e: Engine, input: RescheduleInput) => e.read((q) => quoteReschedule(e, q, input));

describe('outbound call and Reschedule Callback', () => {
  it('walks Preview -> dial -> connected -> reschedule -> End Call -> Done, and books a personal callback', async () => {
    const e = await demoEngine();
    const it = await connectedCall(e);
    const rec = (await recordOf(e, it.outbound!.recordId))!;
    const q = await quote(e, wallInput(e, rec.record_id, { year: 2026, month: 11, day: 25, hour: 15, minute: 0 }, true));
    expect(q.ok).toBe(true);
    if (!q.ok) return;
    expect(q.value.routing).toMatch(/^personal until \d\d:\d\d \S+, then to the campaign$/);
    expect((await setPendingReschedule(e, it.id, q.value)).ok).toBe(true);
    expect((await e.markDone(it.id)).ok).toBe(false); // End Call first
    expect((await endCall(e, it.id)).ok).toBe(true);
    expect(e.state.agents['a.lopez'].status).toBe('AfterCallWork');
    const done = await e.markDone(it.id);
    expect(done).toEqual({ ok: true, value: expect.stringMatching(/^Personal callback set for Wed 25 Nov 15:00 \S+$/) });
    const after = (await recordOf(e, rec.record_id))!;
    expect(after.record_type).toBe(RecordType.PersonalCallback);
    expect(after.record_status).toBe(RecordStatus.Ready);
    expect(after.agent_id).toBe('a.lopez');
    const expected = testZones().instant(rec.tz, { year: 2026, month: 11, day: 25, hour: 15, minute: 0 })!;
    expect(after.dialSchedAt).toBe(expected);
    expect(after.callback_local).toBe('2026-11-25 15:00');
    expect(e.state.agents['a.lopez'].status).toBe('Ready');
  });

  it('brings a personal callback back to its agent at the instant, as a ScheduledCall preview, exactly once', async () => {
    const e = await demoEngine();
    const it = await connectedCall(e);
    const recId = it.outbound!.recordId;
    const rec = (await recordOf(e, recId))!;
    const at = e.now + 3 * 3600_000;
    const wall = testZones().toWall(rec.tz, at);
    const q = await quote(e, wallInput(e, recId, { ...wall, minute: wall.minute }, true));
    if (!q.ok) throw new Error(q.error.message);
    await setPendingReschedule(e, it.id, q.value);
    await endCall(e, it.id);
    await e.markDone(it.id);
    const due = (await recordOf(e, recId))!.dialSchedAt!;
    const dialable = q.value.dialableFrom ?? due;
    await e.advanceTo(dialable - 1000);
    expect(e.openInteractions().filter((i) => i.outbound?.origin === 'ScheduledCall')).toHaveLength(0);
    await e.advanceTo(dialable);
    const pushed = e.openInteractions().filter((i) => i.outbound?.origin === 'ScheduledCall');
    expect(pushed).toHaveLength(1);
    expect(pushed[0].state).toBe('preview');
    expect((await e.messagesFor('a.lopez'))[0].subject).toMatch(/^Personal callback due/);
    await e.advanceBy(3 * 3600_000);
    expect(e.openInteractions().filter((i) => i.outbound?.origin === 'ScheduledCall')).toHaveLength(1);
  });

  it('a personal callback whose agent is logged out waits the grace period, is missed (8, 47) and goes to the campaign', async () => {
    const e = await demoEngine();
    const it = await connectedCall(e);
    const recId = it.outbound!.recordId;
    const rec = (await recordOf(e, recId))!;
    const q = await quote(e, { recordId: recId, when: { kind: 'instant', utc: e.now + 2 * 3600_000 }, personal: true, agentId: 'a.lopez' });
    if (!q.ok) throw new Error(q.error.message);
    await setPendingReschedule(e, it.id, q.value);
    await endCall(e, it.id);
    await e.markDone(it.id);
    await e.logout();
    const dialable = q.value.dialableFrom ?? q.value.at;
    const grace = e.state.campaigns[rec.campaign_id].personalCallbackGraceMin * MIN;
    await e.advanceTo(dialable + grace - 1000);
    expect((await recordOf(e, recId))!.record_type).toBe(RecordType.PersonalCallback);
    await e.advanceTo(dialable + grace);
    const after = (await recordOf(e, recId))!;
    expect(after.call_result).toBe(CallResult.AgentCallbackError);
    expect(after.record_type).toBe(RecordType.CampaignCallback);
    expect(after.treatments.join()).toContain('Missed personal callback of a.lopez');
  });

  it('refuses a time in the daylight-saving gap, naming the nearest valid times, and asks which one in the overlap', async () => {
    const e = await demoEngine(7, Date.UTC(2026, 2, 1, 15));
    const rec = (await allRecords(e)).find((r) => r.tz === 'America/New_York')!;
    const gap = await quote(e, wallInput(e, rec.record_id, { year: 2026, month: 3, day: 8, hour: 2, minute: 30 }, false, { campaignId: rec.campaign_id }));
    expect(gap.ok).toBe(false);
    if (gap.ok) return;
    expect(gap.error.code).toBe('gap');
    expect(gap.error.message).toContain('01:59 EST or 03:00 EDT');
    const e2 = await demoEngine(7, Date.UTC(2026, 9, 20, 15));
    const over = await quote(e2, wallInput(e2, rec.record_id, { year: 2026, month: 11, day: 1, hour: 1, minute: 30 }, false));
    expect(over.ok).toBe(false);
    if (!over.ok) expect(over.error.code).toBe('overlap');
    const later = await quote(e2, wallInput(e2, rec.record_id, { year: 2026, month: 11, day: 1, hour: 1, minute: 30 }, false, { overlap: 'later' }));
    expect(later.ok && later.value.at).toBe(Date.UTC(2026, 10, 1, 6, 30));
  });

  it('books 10:00 on 2026-11-24 in America/Vancouver at 17:00 UTC', async () => {
    const e = await demoEngine(7, Date.UTC(2026, 10, 24, 12));
    const rec = (await allRecords(e)).find((r) => r.tz === 'America/Vancouver' && r.campaign_id !== 'policy-renewals')!;
    const q = await quote(e, wallInput(e, rec.record_id, { year: 2026, month: 11, day: 24, hour: 10, minute: 0 }, false));
    expect(q.ok && q.value.at).toBe(Date.UTC(2026, 10, 24, 17));
  });

  it('refuses past times and times beyond the horizon', async () => {
    const e = await demoEngine();
    const rec = (await allRecords(e))[0];
    const past = await quote(e, { recordId: rec.record_id, when: { kind: 'instant', utc: T0 - MIN }, personal: false, agentId: 'a.lopez' });
    expect(!past.ok && past.error.code).toBe('past');
    expect(!past.ok && past.error.message).toMatch(/^\w{3} \d+ \w{3} 2026 \d\d:\d\d \S+ is in the past \(now /);
    // The current minute, some seconds on: not "in the past" beside a clock showing the same minute.
    await e.advanceBy(23_000);
    const thisMinute = await quote(e, { recordId: rec.record_id, when: { kind: 'instant', utc: T0 }, personal: false, agentId: 'a.lopez' });
    expect(!thisMinute.ok && thisMinute.error.code).toBe('past');
    expect(!thisMinute.ok && thisMinute.error.message).toMatch(/^\d\d:00 \S+ is now \(\d\d:00:23\): choose a later time$/);
    const far = await quote(e, { recordId: rec.record_id, when: { kind: 'instant', utc: T0 + 31 * 86_400_000 }, personal: false, agentId: 'a.lopez' });
    expect(!far.ok && far.error.code).toBe('horizon');
  });

  it('follows each campaign\'s Personal Callback policy', async () => {
    const e = await demoEngine();
    const at = { kind: 'instant' as const, utc: T0 + 86_400_000 };
    const inCampaign = async (id: string) => (await allRecords(e)).find((r) => r.campaign_id === id)!.record_id;
    const forced = await quote(e, { recordId: await inCampaign('winter-appeal'), when: at, personal: false, agentId: 'a.lopez' });
    expect(forced.ok && forced.value.callbackType).toBe('Personal');
    const hidden = await quote(e, { recordId: await inCampaign('policy-renewals'), when: at, personal: true, agentId: 'a.lopez' });
    expect(!hidden.ok && hidden.error.code).toBe('policy');
    const free = await quote(e, { recordId: await inCampaign('care-follow-up'), when: at, personal: false, agentId: 'a.lopez' });
    expect(free.ok && free.value.callbackType).toBe('Campaign');
  });

  it('refuses a personal callback over the agent\'s cap', async () => {
    const e = await demoEngine();
    e.mut.campaigns['care-follow-up'].personalCallbackCap = 0;
    const rec = (await allRecords(e)).find((r) => r.campaign_id === 'care-follow-up')!;
    const q = await quote(e, { recordId: rec.record_id, when: { kind: 'instant', utc: T0 + 86_400_000 }, personal: true, agentId: 'a.lopez' });
    expect(!q.ok && q.error.code).toBe('cap');
  });

  it('warns outside the number\'s contact hours and names the next allowed time', async () => {
    const e = await demoEngine();
    const rec = (await allRecords(e)).find((r) => r.daily_from === 9 * 3600 && r.daily_till === 17 * 3600)!;
    const q = await quote(e, wallInput(e, rec.record_id, { year: 2026, month: 11, day: 26, hour: 20, minute: 0 }, false));
    expect(q.ok).toBe(true);
    if (!q.ok) return;
    expect(q.value.warning).toMatch(/outside the contact hours .* \(09:00-17:00 \S+\); the dialer waits until Fri 27 Nov 09:00/);
  });

  it('adds a new number to the chain, refusing malformed numbers, duplicates and Until before From', async () => {
    const e = await demoEngine();
    const c = (await allContacts(e)).find((x) => x.tz === 'America/New_York')!;
    const chain = await e.read((q) => q.records.ofContact(c.id));
    const n = (phone: string, from = 9 * 3600, until = 17 * 3600) => addChainNumber(e, c.id, { phone, type: ContactInfoType.Mobile, from, until });
    expect(await n('12345')).toEqual({ ok: false, error: expect.stringContaining('not a valid phone number') });
    expect(await n('call me')).toEqual({ ok: false, error: expect.stringContaining('not a phone number') });
    expect(await n(chain[0].contact_info)).toEqual({ ok: false, error: expect.stringContaining('already in') });
    expect(await n('(212) 734-5566', 17 * 3600, 9 * 3600)).toEqual({ ok: false, error: 'Until (09:00) must be after From (17:00)' });
    const added = await n('(212) 734-5566');
    expect(added.ok).toBe(true);
    if (!added.ok) return;
    expect(added.value.contact_info).toBe('+12127345566');
    expect(added.value.chain_id).toBe(chain[0].chain_id);
    expect(added.value.chain_n).toBe(chain.length + 1);
    expect(await e.read((q) => q.records.ofContact(c.id))).toHaveLength(chain.length + 1);
  });

  it('answers No Records Available when the list is exhausted', async () => {
    const e = await demoEngine();
    await e.login('a.lopez', 'P');
    await changeRecords(e, (await allRecords(e)).filter((r) => r.campaign_id === 'care-follow-up').map((r) => r.record_id), (r) => (r.record_status = RecordStatus.Updated));
    expect(await requestPreviewRecord(e, 'care-follow-up')).toEqual({ ok: false, error: 'No Records Available' });
  });
});

describe('properties', () => {
  const zones = testZones();
  it('local time -> instant -> local time round-trips in every demo zone across the 2026 changes', () => {
    const names = DEMO_ZONES.map((z) => z.zone);
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2026, 11, 31) }), (zone, t) => {
        const utc = Math.floor(t / 60_000) * 60_000;
        const wall = zones.toWall(zone, utc);
        const r = zones.resolve(zone, wall);
        if (r.kind === 'exact') expect(r.utc).toBe(utc);
        else if (r.kind === 'overlap') expect([r.earlier, r.later]).toContain(utc);
        else throw new Error(`a wall time read off an instant cannot be in a gap (${zone})`);
      }),
      { numRuns: 3000 },
    );
  });

  it('delivers a due personal callback exactly once whatever the order of restarts and clock advances', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ restart: fc.boolean(), minutes: fc.integer({ min: 0, max: 400 }) }), { minLength: 1, maxLength: 12 }), async (steps) => {
        let e = await quietDesk(await demoEngine(3));
        await e.login('a.lopez', 'P');
        const rec = (await allRecords(e)).find((r) => r.campaign_id === 'care-follow-up' && r.daily_from <= 9 * 3600 && r.daily_till >= 20 * 3600)!;
        const q = await quote(e, { recordId: rec.record_id, when: { kind: 'instant', utc: e.now + 90 * MIN }, personal: true, agentId: 'a.lopez' });
        if (!q.ok) throw new Error(q.error.message);
        await changeRecords(e, [rec.record_id], (r) => {
          r.record_type = RecordType.PersonalCallback;
          r.agent_id = 'a.lopez';
          r.dialSchedAt = Math.floor(q.value.at / 1000) * 1000;
        });
        e = await restart(e); // restart re-arms from the records
        for (const s of steps) {
          if (s.restart) e = await restart(e);
          await e.advanceBy(s.minutes * MIN);
        }
        await e.advanceBy(24 * 3600_000);
        const pushed = Object.values(e.state.interactions).filter((i) => i.outbound?.origin === 'ScheduledCall' && i.outbound.recordId === rec.record_id);
        expect(pushed).toHaveLength(1);
      }),
      { numRuns: 40 },
    );
    // 40 runs of a day each, with restarts: about 25 s on an idle 2-core machine before the
    // store became asynchronous, a third more since (an await per query and per timer), and far
    // more beside a busy machine.
  }, 300_000);

  it('never dials a number outside its contact hours', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 7 * 24 * 60 }), async (minutes) => {
        const e = await demoEngine(5, T0 + minutes * MIN);
        await e.login('a.lopez', 'P');
        const r = await requestPreviewRecord(e, 'care-follow-up');
        if (!r.ok) {
          expect(r.error).toBe('No Records Available');
          return;
        }
        const rec = (await recordOf(e, r.value.outbound!.recordId))!;
        expect(withinContactHours(e, rec, e.now)).toBe(true);
        expect((await dialPreview(e, r.value.id)).ok).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});
