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
import { T0, demoEngine, testZones, allRecords, allContacts, changeRecords, restart } from '../helpers/world.js';

const MIN = 60_000;

/** Only the Preview campaign runs: no dialer calls for the agent in these tests. */
function quietDesk(e: Engine): Engine {
  for (const id of ['collections-q4', 'policy-renewals']) setCampaignStatus(e, id, 'Stopped');
  e.unschedule((ev) => ev.type === 'CampaignStart');
  return e;
}

function connectedCall(e: Engine, campaign = 'care-follow-up') {
  quietDesk(e);
  e.login('a.lopez', 'P');
  const r = requestPreviewRecord(e, campaign);
  if (!r.ok) throw new Error(r.error);
  let it = r.value;
  // Dial until someone answers (the outcome is seeded).
  for (let i = 0; i < 20; i++) {
    expect(dialPreview(e, it.id).ok).toBe(true);
    e.advanceBy(40_000);
    if (e.interaction(it.id)!.state === 'connected') return e.interaction(it.id)!;
    expect(e.markDone(it.id).ok).toBe(true);
    const next = requestPreviewRecord(e, campaign);
    if (!next.ok) throw new Error(next.error);
    it = next.value;
  }
  throw new Error('nobody answered');
}

function wallInput(_e: Engine, recordId: number, wall: { year: number; month: number; day: number; hour: number; minute: number }, personal: boolean, extra: Partial<RescheduleInput> = {}): RescheduleInput {
  return { recordId, when: { kind: 'wall', wall, hasTime: true }, personal, agentId: 'a.lopez', ...extra };
}

describe('outbound call and Reschedule Callback', () => {
  it('walks Preview -> dial -> connected -> reschedule -> End Call -> Done, and books a personal callback', () => {
    const e = demoEngine();
    const it = connectedCall(e);
    const rec = e.record(it.outbound!.recordId)!;
    const q = quoteReschedule(e, wallInput(e, rec.record_id, { year: 2026, month: 11, day: 25, hour: 15, minute: 0 }, true));
    expect(q.ok).toBe(true);
    if (!q.ok) return;
    expect(q.value.routing).toMatch(/^personal until \d\d:\d\d \S+, then to the campaign$/);
    expect(setPendingReschedule(e, it.id, q.value).ok).toBe(true);
    expect(e.markDone(it.id).ok).toBe(false); // End Call first
    expect(endCall(e, it.id).ok).toBe(true);
    expect(e.state.agents['a.lopez'].status).toBe('AfterCallWork');
    const done = e.markDone(it.id);
    expect(done).toEqual({ ok: true, value: expect.stringContaining('RecordRescheduleAcknowledge: Personal callback 2026-11-25 15:00') });
    const after = e.record(rec.record_id)!;
    expect(after.record_type).toBe(RecordType.PersonalCallback);
    expect(after.record_status).toBe(RecordStatus.Ready);
    expect(after.agent_id).toBe('a.lopez');
    const expected = testZones().instant(rec.tz, { year: 2026, month: 11, day: 25, hour: 15, minute: 0 })!;
    expect(after.dialSchedAt).toBe(expected);
    expect(after.callback_local).toBe('2026-11-25 15:00');
    expect(e.state.agents['a.lopez'].status).toBe('Ready');
  });

  it('brings a personal callback back to its agent at the instant, as a ScheduledCall preview, exactly once', () => {
    const e = demoEngine();
    const it = connectedCall(e);
    const recId = it.outbound!.recordId;
    const rec = e.record(recId)!;
    const at = e.now + 3 * 3600_000;
    const wall = testZones().toWall(rec.tz, at);
    const q = quoteReschedule(e, wallInput(e, recId, { ...wall, minute: wall.minute }, true));
    if (!q.ok) throw new Error(q.error.message);
    setPendingReschedule(e, it.id, q.value);
    endCall(e, it.id);
    e.markDone(it.id);
    const due = e.record(recId)!.dialSchedAt!;
    const dialable = q.value.dialableFrom ?? due;
    e.advanceTo(dialable - 1000);
    expect(e.openInteractions().filter((i) => i.outbound?.origin === 'ScheduledCall')).toHaveLength(0);
    e.advanceTo(dialable);
    const pushed = e.openInteractions().filter((i) => i.outbound?.origin === 'ScheduledCall');
    expect(pushed).toHaveLength(1);
    expect(pushed[0].state).toBe('preview');
    expect(e.messagesFor('a.lopez')[0].subject).toMatch(/^Personal callback due/);
    e.advanceBy(3 * 3600_000);
    expect(e.openInteractions().filter((i) => i.outbound?.origin === 'ScheduledCall')).toHaveLength(1);
  });

  it('a personal callback whose agent is logged out waits the grace period, is missed (8, 47) and goes to the campaign', () => {
    const e = demoEngine();
    const it = connectedCall(e);
    const recId = it.outbound!.recordId;
    const rec = e.record(recId)!;
    const q = quoteReschedule(e, { recordId: recId, when: { kind: 'instant', utc: e.now + 2 * 3600_000 }, personal: true, agentId: 'a.lopez' });
    if (!q.ok) throw new Error(q.error.message);
    setPendingReschedule(e, it.id, q.value);
    endCall(e, it.id);
    e.markDone(it.id);
    e.logout();
    const dialable = q.value.dialableFrom ?? q.value.at;
    const grace = e.state.campaigns[rec.campaign_id].personalCallbackGraceMin * MIN;
    e.advanceTo(dialable + grace - 1000);
    expect(e.record(recId)!.record_type).toBe(RecordType.PersonalCallback);
    e.advanceTo(dialable + grace);
    const after = e.record(recId)!;
    expect(after.call_result).toBe(CallResult.AgentCallbackError);
    expect(after.record_type).toBe(RecordType.CampaignCallback);
    expect(after.treatments.join()).toContain('Missed personal callback of a.lopez');
  });

  it('refuses a time in the daylight-saving gap, naming the nearest valid times, and asks which one in the overlap', () => {
    const e = demoEngine(7, Date.UTC(2026, 2, 1, 15));
    const rec = allRecords(e).find((r) => r.tz === 'America/New_York')!;
    const gap = quoteReschedule(e, wallInput(e, rec.record_id, { year: 2026, month: 3, day: 8, hour: 2, minute: 30 }, false, { campaignId: rec.campaign_id }));
    expect(gap.ok).toBe(false);
    if (gap.ok) return;
    expect(gap.error.code).toBe('gap');
    expect(gap.error.message).toContain('01:59 EST or 03:00 EDT');
    const e2 = demoEngine(7, Date.UTC(2026, 9, 20, 15));
    const over = quoteReschedule(e2, wallInput(e2, rec.record_id, { year: 2026, month: 11, day: 1, hour: 1, minute: 30 }, false));
    expect(over.ok).toBe(false);
    if (!over.ok) expect(over.error.code).toBe('overlap');
    const later = quoteReschedule(e2, wallInput(e2, rec.record_id, { year: 2026, month: 11, day: 1, hour: 1, minute: 30 }, false, { overlap: 'later' }));
    expect(later.ok && later.value.at).toBe(Date.UTC(2026, 10, 1, 6, 30));
  });

  it('books 10:00 on 2026-11-24 in America/Vancouver at 17:00 UTC', () => {
    const e = demoEngine(7, Date.UTC(2026, 10, 24, 12));
    const rec = allRecords(e).find((r) => r.tz === 'America/Vancouver' && r.campaign_id !== 'policy-renewals')!;
    const q = quoteReschedule(e, wallInput(e, rec.record_id, { year: 2026, month: 11, day: 24, hour: 10, minute: 0 }, false));
    expect(q.ok && q.value.at).toBe(Date.UTC(2026, 10, 24, 17));
  });

  it('refuses past times and times beyond the horizon', () => {
    const e = demoEngine();
    const rec = allRecords(e)[0];
    const past = quoteReschedule(e, { recordId: rec.record_id, when: { kind: 'instant', utc: T0 - MIN }, personal: false, agentId: 'a.lopez' });
    expect(!past.ok && past.error.code).toBe('past');
    expect(!past.ok && past.error.message).toMatch(/^\w{3} \d+ \w{3} 2026 \d\d:\d\d \S+ is in the past \(now /);
    // The current minute, some seconds on: not "in the past" beside a clock showing the same minute.
    e.advanceBy(23_000);
    const thisMinute = quoteReschedule(e, { recordId: rec.record_id, when: { kind: 'instant', utc: T0 }, personal: false, agentId: 'a.lopez' });
    expect(!thisMinute.ok && thisMinute.error.code).toBe('past');
    expect(!thisMinute.ok && thisMinute.error.message).toMatch(/^\d\d:00 \S+ is now \(\d\d:00:23\): choose a later time$/);
    const far = quoteReschedule(e, { recordId: rec.record_id, when: { kind: 'instant', utc: T0 + 31 * 86_400_000 }, personal: false, agentId: 'a.lopez' });
    expect(!far.ok && far.error.code).toBe('horizon');
  });

  it('follows each campaign\'s Personal Callback policy', () => {
    const e = demoEngine();
    const at = { kind: 'instant' as const, utc: T0 + 86_400_000 };
    const inCampaign = (id: string) => allRecords(e).find((r) => r.campaign_id === id)!.record_id;
    const forced = quoteReschedule(e, { recordId: inCampaign('winter-appeal'), when: at, personal: false, agentId: 'a.lopez' });
    expect(forced.ok && forced.value.callbackType).toBe('Personal');
    const hidden = quoteReschedule(e, { recordId: inCampaign('policy-renewals'), when: at, personal: true, agentId: 'a.lopez' });
    expect(!hidden.ok && hidden.error.code).toBe('policy');
    const free = quoteReschedule(e, { recordId: inCampaign('care-follow-up'), when: at, personal: false, agentId: 'a.lopez' });
    expect(free.ok && free.value.callbackType).toBe('Campaign');
  });

  it('refuses a personal callback over the agent\'s cap', () => {
    const e = demoEngine();
    e.mut.campaigns['care-follow-up'].personalCallbackCap = 0;
    const rec = allRecords(e).find((r) => r.campaign_id === 'care-follow-up')!;
    const q = quoteReschedule(e, { recordId: rec.record_id, when: { kind: 'instant', utc: T0 + 86_400_000 }, personal: true, agentId: 'a.lopez' });
    expect(!q.ok && q.error.code).toBe('cap');
  });

  it('warns outside the number\'s contact hours and names the next allowed time', () => {
    const e = demoEngine();
    const rec = allRecords(e).find((r) => r.daily_from === 9 * 3600 && r.daily_till === 17 * 3600)!;
    const q = quoteReschedule(e, wallInput(e, rec.record_id, { year: 2026, month: 11, day: 26, hour: 20, minute: 0 }, false));
    expect(q.ok).toBe(true);
    if (!q.ok) return;
    expect(q.value.warning).toMatch(/outside the contact hours .* \(09:00-17:00 \S+\); the dialer waits until Fri 27 Nov 09:00/);
  });

  it('adds a new number to the chain, refusing malformed numbers, duplicates and Until before From', () => {
    const e = demoEngine();
    const c = allContacts(e).find((x) => x.tz === 'America/New_York')!;
    const chain = e.chainOf(c.id);
    const n = (phone: string, from = 9 * 3600, until = 17 * 3600) => addChainNumber(e, c.id, { phone, type: ContactInfoType.Mobile, from, until });
    expect(n('12345')).toEqual({ ok: false, error: expect.stringContaining('not a valid phone number') });
    expect(n('call me')).toEqual({ ok: false, error: expect.stringContaining('not a phone number') });
    expect(n(chain[0].contact_info)).toEqual({ ok: false, error: expect.stringContaining('already in') });
    expect(n('(212) 734-5566', 17 * 3600, 9 * 3600)).toEqual({ ok: false, error: 'Until (09:00) must be after From (17:00)' });
    const added = n('(212) 734-5566');
    expect(added.ok).toBe(true);
    if (!added.ok) return;
    expect(added.value.contact_info).toBe('+12127345566');
    expect(added.value.chain_id).toBe(chain[0].chain_id);
    expect(added.value.chain_n).toBe(chain.length + 1);
    expect(e.chainOf(c.id)).toHaveLength(chain.length + 1);
  });

  it('answers No Records Available when the list is exhausted', () => {
    const e = demoEngine();
    e.login('a.lopez', 'P');
    changeRecords(e, allRecords(e).filter((r) => r.campaign_id === 'care-follow-up').map((r) => r.record_id), (r) => (r.record_status = RecordStatus.Updated));
    expect(requestPreviewRecord(e, 'care-follow-up')).toEqual({ ok: false, error: 'No Records Available' });
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

  it('delivers a due personal callback exactly once whatever the order of restarts and clock advances', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ restart: fc.boolean(), minutes: fc.integer({ min: 0, max: 400 }) }), { minLength: 1, maxLength: 12 }), (steps) => {
        let e = quietDesk(demoEngine(3));
        e.login('a.lopez', 'P');
        const rec = allRecords(e).find((r) => r.campaign_id === 'care-follow-up' && r.daily_from <= 9 * 3600 && r.daily_till >= 20 * 3600)!;
        const q = quoteReschedule(e, { recordId: rec.record_id, when: { kind: 'instant', utc: e.now + 90 * MIN }, personal: true, agentId: 'a.lopez' });
        if (!q.ok) throw new Error(q.error.message);
        changeRecords(e, [rec.record_id], (r) => {
          r.record_type = RecordType.PersonalCallback;
          r.agent_id = 'a.lopez';
          r.dialSchedAt = Math.floor(q.value.at / 1000) * 1000;
        });
        e = restart(e); // restart re-arms from the records
        for (const s of steps) {
          if (s.restart) e = restart(e);
          e.advanceBy(s.minutes * MIN);
        }
        e.advanceBy(24 * 3600_000);
        const pushed = Object.values(e.state.interactions).filter((i) => i.outbound?.origin === 'ScheduledCall' && i.outbound.recordId === rec.record_id);
        expect(pushed).toHaveLength(1);
      }),
      { numRuns: 40 },
    );
    // 40 worlds built and run for a day each: about 20 s alone, far more beside a busy machine.
  }, 300_000);

  it('never dials a number outside its contact hours', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 7 * 24 * 60 }), (minutes) => {
        const e = demoEngine(5, T0 + minutes * MIN);
        e.login('a.lopez', 'P');
        const r = requestPreviewRecord(e, 'care-follow-up');
        if (!r.ok) {
          expect(r.error).toBe('No Records Available');
          return;
        }
        const rec = e.record(r.value.outbound!.recordId)!;
        expect(withinContactHours(e, rec, e.now)).toBe(true);
        expect(dialPreview(e, r.value.id).ok).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});
