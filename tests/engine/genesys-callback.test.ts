import { describe, expect, it } from 'vitest';
import type { CallbackService } from '../../src/engine/domain.js';
import { Engine } from '../../src/engine/engine.js';
import {
  availability,
  bookGenesysCallback,
  cancelGenesysCallback,
  rescheduleGenesysCallback,
  slotsBetween,
  slotsOnDate,
} from '../../src/engine/genesys-callback.js';
import { myCallbacks } from '../../src/engine/my-callbacks.js';
import { setCampaignStatus } from '../../src/engine/dialer/desk-dialer.js';
import { T0, demoEngine, testZones, allGcallbacks } from '../helpers/world.js';

const HOUR = 3600_000;
const allDay = (tz: string, slotMinutes: CallbackService['slotMinutes']): CallbackService => ({
  name: 'round-the-clock',
  tz,
  officeHours: { weekly: Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [d, [[0, 86400]]])), special: {} },
  slotMinutes,
  capacity: 2,
});

async function engineAt(now: number, extra?: CallbackService): Promise<Engine> {
  const e = await demoEngine(7, now);
  if (extra) e.mut.services[extra.name] = extra;
  return e;
}

// Each booking for another customer: one customer holds a slot once.
let customer = 0;
const book = (e: Engine, service: string, slot: number, by = 'a.lopez', contactId = `C${String((customer++ % 300) + 1).padStart(4, '0')}`) =>
  bookGenesysCallback(e, { service, contactId, customerNumber: '+12125550100', type: 'Scheduled', slot, bookedBy: by });

/** Read-only helpers, on what was committed (as a form or a command reads them). */
const slotsOn = (e: Engine, service: string, date: { year: number; month: number; day: number }, tz: string) => e.read((q) => slotsOnDate(e, q, service, date, tz));
const slotsIn = (e: Engine, service: string, from: number, to: number) => e.read((q) => slotsBetween(e, q, service, from, to));
const available = (e: Engine, query: Parameters<typeof availability>[2]) => e.read((q) => availability(e, q, query));
const gcallbackOf = (e: Engine, id: string) => e.read((q) => q.gcallbacks.get(id));

describe('Genesys Callback availability', () => {
  it('cuts office hours into slots of the service\'s length, with capacity left', async () => {
    const e = await engineAt(T0);
    const slots = await slotsOn(e, 'customer-care', { year: 2026, month: 11, day: 25 }, 'America/New_York');
    expect(slots).toHaveLength(48); // 08:00-20:00 in 15-minute slots
    expect(new Date(slots[0].start).toISOString()).toBe('2026-11-25T13:00:00.000Z');
    expect(slots.every((s) => s.remaining === 3 && s.total === 3 && s.unavailable === null)).toBe(true);
  });

  it('has 23 hours of slots on the spring-forward day and 25 on the fall-back day', async () => {
    const svc = allDay('America/New_York', 15);
    const spring = await engineAt(Date.UTC(2026, 2, 1), svc);
    expect(await slotsOn(spring, svc.name, { year: 2026, month: 3, day: 8 }, 'America/New_York')).toHaveLength(23 * 4);
    const fall = await engineAt(Date.UTC(2026, 9, 25), svc);
    expect(await slotsOn(fall, svc.name, { year: 2026, month: 11, day: 1 }, 'America/New_York')).toHaveLength(25 * 4);
  });

  it('lets a slot straddle the gap: 01:40 EST to 03:00 EDT is 20 minutes', async () => {
    const svc = allDay('America/New_York', 20);
    const e = await engineAt(Date.UTC(2026, 2, 1), svc);
    const slots = await slotsOn(e, svc.name, { year: 2026, month: 3, day: 8 }, 'America/New_York');
    const z = testZones();
    const straddle = slots.find((s) => z.formatPlain(s.start, 'America/New_York', 'HH:mm') === '01:40')!;
    expect(straddle.end - straddle.start).toBe(20 * 60_000);
    expect(z.format(straddle.end, 'America/New_York', 'HH:mm')).toBe('03:00 EDT');
  });

  it('reports half-hour and 45-minute offsets exactly: Kathmandu opens 07:00 = 01:15Z = 06:45 in Kolkata', async () => {
    const e = await engineAt(T0);
    const a = await available(e, { service: 'tech-support', start: Date.UTC(2026, 10, 25, 0), days: 1, timezone: 'Asia/Kolkata' });
    expect(a.ok).toBe(true);
    if (!a.ok) return;
    expect(a.value.durationMin).toBe(20);
    expect(a.value.timezone).toBe('Asia/Kolkata');
    expect(a.value.slots[0]).toEqual({ utcTime: '2026-11-25T01:15:00Z', localTime: '2026-11-25T06:45:00+05:30', capacity: 4, total: 4 });
  });

  it('follows the 2026 rules of America/Vancouver', async () => {
    const svc: CallbackService = { ...allDay('America/Vancouver', 60), name: 'bc', officeHours: { weekly: { 1: [], 2: [[9 * 3600, 17 * 3600]], 3: [], 4: [], 5: [], 6: [], 7: [] }, special: {} } };
    const e = await engineAt(Date.UTC(2026, 10, 20), svc);
    const a = await available(e, { service: 'bc', start: Date.UTC(2026, 10, 24), days: 1 });
    expect(a.ok && a.value.slots[0]).toMatchObject({ utcTime: '2026-11-24T16:00:00Z', localTime: '2026-11-24T09:00:00-07:00' });
  });

  it('is closed on special days and never offers the past', async () => {
    const e = await engineAt(Date.UTC(2026, 11, 21, 15)); // Monday 21 Dec, 10:00 EST
    expect(await slotsOn(e, 'customer-care', { year: 2026, month: 12, day: 25 }, 'America/New_York')).toHaveLength(0);
    expect(await slotsOn(e, 'customer-care', { year: 2026, month: 12, day: 24 }, 'America/New_York')).toHaveLength(24);
    const today = await slotsOn(e, 'customer-care', { year: 2026, month: 12, day: 21 }, 'America/New_York');
    expect(today.filter((s) => s.unavailable === 'past').length).toBeGreaterThan(0);
    const a = await available(e, { service: 'customer-care', start: Date.UTC(2026, 11, 21), days: 1 });
    expect(a.ok && a.value.slots.every((s) => Date.parse(s.utcTime) >= e.now)).toBe(true);
  });

  it('reports busy slots only when asked', async () => {
    const e = await engineAt(T0);
    const slot = (await slotsOn(e, 'billing', { year: 2026, month: 11, day: 25 }, 'Europe/London'))[0];
    expect((await book(e, 'billing', slot.start)).ok).toBe(true);
    expect((await book(e, 'billing', slot.start)).ok).toBe(true);
    const q = { service: 'billing', start: Date.UTC(2026, 10, 25), days: 1 };
    const free = await available(e, q);
    const busy = await available(e, { ...q, reportBusy: true });
    expect(free.ok && free.value.slots.some((s) => Date.parse(s.utcTime) === slot.start)).toBe(false);
    expect(busy.ok && busy.value.slots.find((s) => Date.parse(s.utcTime) === slot.start)).toMatchObject({ capacity: 0, total: 2 });
  });
});

describe('Genesys Callback booking', () => {
  it('takes capacity and refuses the slot once full, with CallbackExceptionAvailability', async () => {
    const e = await engineAt(T0);
    const slot = (await slotsOn(e, 'customer-care', { year: 2026, month: 11, day: 25 }, 'America/New_York'))[4];
    for (let i = 0; i < 3; i++) expect((await book(e, 'customer-care', slot.start)).ok).toBe(true);
    const fourth = await book(e, 'customer-care', slot.start);
    expect(fourth.ok).toBe(false);
    if (!fourth.ok) expect(fourth.error).toMatch(/^CallbackExceptionAvailability: the Wed 25 Nov 09:00 EST slot is full/);
    expect((await slotsIn(e, 'customer-care', slot.start, slot.start + 1))[0]).toMatchObject({ remaining: 0, unavailable: 'full' });
  });

  it('gives the last place to exactly one of two racing bookings', async () => {
    const e = await engineAt(T0);
    const slot = (await slotsOn(e, 'billing', { year: 2026, month: 11, day: 26 }, 'Europe/London'))[3];
    expect((await book(e, 'billing', slot.start, 'web')).ok).toBe(true);
    const results = await Promise.all([book(e, 'billing', slot.start, 'a.lopez'), book(e, 'billing', slot.start, 'b.okafor')]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect((await allGcallbacks(e)).filter((c) => c.slot === slot.start)).toHaveLength(2);
  });

  it('refuses closed, off-grid and past times, and unknown services', async () => {
    const e = await engineAt(T0);
    expect((await book(e, 'customer-care', Date.UTC(2026, 10, 26, 3))).ok).toBe(false); // 22:00 EST: closed
    expect((await book(e, 'customer-care', Date.UTC(2026, 10, 25, 13, 7))).ok).toBe(false); // not a slot start
    expect(await book(e, 'customer-care', T0 - HOUR)).toMatchObject({ ok: false });
    expect(await book(e, 'nowhere', T0 + HOUR)).toMatchObject({ ok: false, error: expect.stringContaining('CallbackExceptionResource') });
  });

  it('reschedules into another slot, moving the capacity, and keeps the history', async () => {
    const e = await engineAt(T0);
    const [a, b] = await slotsOn(e, 'customer-care', { year: 2026, month: 11, day: 25 }, 'America/New_York');
    const cb = await book(e, 'customer-care', a.start);
    if (!cb.ok) throw new Error(cb.error);
    expect((await rescheduleGenesysCallback(e, cb.value.id, b.start, 'a.lopez')).ok).toBe(true);
    const [a2, b2] = await slotsIn(e, 'customer-care', a.start, b.start + 1);
    expect(a2.remaining).toBe(3);
    expect(b2.remaining).toBe(2);
    expect((await gcallbackOf(e, cb.value.id))!.history).toEqual([{ at: T0, desiredTime: a.start, by: 'a.lopez' }]);
    expect((await cancelGenesysCallback(e, cb.value.id)).ok).toBe(true);
    expect((await slotsIn(e, 'customer-care', b.start, b.start + 1))[0].remaining).toBe(3);
  });

  it('routes a due callback booked by the agent to the agent, SCHEDULED -> ROUTING -> PROCESSING -> COMPLETED', async () => {
    const e = await engineAt(T0);
    await e.login('a.lopez', 'P');
    const slot = (await slotsOn(e, 'customer-care', { year: 2026, month: 11, day: 24 }, 'America/New_York')).find((s) => s.unavailable === null)!;
    const cb = await book(e, 'customer-care', slot.start);
    if (!cb.ok) throw new Error(cb.error);
    expect(cb.value.state).toBe('SCHEDULED');
    await e.advanceTo(slot.start);
    expect((await gcallbackOf(e, cb.value.id))!.state).toBe('ROUTING');
    const it = e.openInteractions().find((i) => i.kind === 'callback')!;
    expect(it.caseData.GMS_CALLBACK_ID).toBe(cb.value.id);
    expect((await e.acceptInteraction(it.id)).ok).toBe(true);
    expect((await gcallbackOf(e, cb.value.id))!.state).toBe('PROCESSING');
    await e.endInteraction(it.id);
    await e.markDone(it.id);
    expect((await gcallbackOf(e, cb.value.id))!).toMatchObject({ state: 'COMPLETED', reason: 'AGENT_CONNECTED' });
  });

  it('lets simulated customers and colleagues book through the day', async () => {
    const e = await engineAt(T0);
    await e.advanceBy(8 * HOUR);
    const cbs = await allGcallbacks(e);
    expect(cbs.length).toBeGreaterThan(20);
    expect(cbs.some((c) => c.bookedBy === 'web')).toBe(true);
  });

  it('refuses a second booking of the same slot for the same customer, naming the first', async () => {
    const svc = allDay('America/New_York', 15);
    const e = await engineAt(T0, svc);
    const slot = (await slotsIn(e, svc.name, T0 + HOUR, T0 + 2 * HOUR))[0].start;
    const first = await book(e, svc.name, slot, 'a.lopez', 'C0042');
    expect(first.ok).toBe(true);
    const again = await book(e, svc.name, slot, 'a.lopez', 'C0042');
    expect(again.ok).toBe(false);
    if (!again.ok && first.ok) expect(again.error).toContain(`callback ${first.value.id}`);
  });
});

describe('an Immediate Genesys callback booked while Not Ready (issue 21)', () => {
  /** a.lopez logged in and Not Ready, the campaigns stopped; an Immediate booking for a New York contact. */
  async function bookedNotReady() {
    const e = await engineAt(T0);
    for (const c of Object.values(e.state.campaigns)) if (c.status === 'Started') await setCampaignStatus(e, c.id, 'Stopped');
    await e.login('a.lopez', 'P');
    await e.setStatus('NotReady');
    const cb = await bookGenesysCallback(e, { service: 'customer-care', contactId: 'C0011', customerNumber: '+12125550100', type: 'Immediate', slot: null, bookedBy: 'a.lopez' });
    if (!cb.ok) throw new Error(cb.error);
    return { e, cb: cb.value };
  }
  const mine = (e: Engine) => e.read((q) => myCallbacks(e, q, 'a.lopez'));

  it('waits for its agent (Due in My Callbacks, a message says so), then comes to the desktop when Ready', async () => {
    const { e, cb } = await bookedNotReady();
    await e.advanceBy(10 * 60_000);
    expect((await gcallbackOf(e, cb.id))!.state).toBe('QUEUED');
    expect(e.openInteractions().filter((i) => i.kind === 'callback')).toHaveLength(0);
    expect((await mine(e)).find((c) => c.id === cb.id)).toMatchObject({ kind: 'Genesys', state: 'Due' });
    expect((await e.messagesFor('a.lopez')).some((m) => m.subject.startsWith('Genesys callback due'))).toBe(true);
    await e.setStatus('Ready');
    expect((await gcallbackOf(e, cb.id))!.state).toBe('ROUTING');
    const it = e.openInteractions().find((i) => i.kind === 'callback')!;
    expect(it).toMatchObject({ state: 'alerting', agentId: 'a.lopez' });
    expect(it.caseData.GMS_CALLBACK_ID).toBe(cb.id);
    expect((await mine(e)).find((c) => c.id === cb.id)!.interactionId).toBe(it.id);
    expect((await e.acceptInteraction(it.id)).ok).toBe(true);
    await e.endInteraction(it.id);
    await e.markDone(it.id);
    expect((await gcallbackOf(e, cb.id))!).toMatchObject({ state: 'COMPLETED', reason: 'AGENT_CONNECTED' });
  });

  it('fails after its time to live when the agent never gets Ready, and says so', async () => {
    const { e, cb } = await bookedNotReady();
    await e.advanceBy(31 * 60_000 + 2000);
    expect((await gcallbackOf(e, cb.id))!).toMatchObject({ state: 'COMPLETED', reason: 'FAIL_TIMEOUT_TTL' });
    expect((await mine(e)).find((c) => c.id === cb.id)).toBeUndefined();
    expect((await e.messagesFor('a.lopez')).some((m) => m.subject === `Missed: Genesys callback ${cb.id}`)).toBe(true);
  });

  it('goes to a colleague once its invitation timed out on the desktop', async () => {
    const { e, cb } = await bookedNotReady();
    await e.advanceBy(1000);
    await e.setStatus('Ready');
    expect((await gcallbackOf(e, cb.id))!.state).toBe('ROUTING');
    await e.advanceBy(31_000);
    expect((await gcallbackOf(e, cb.id))!.state).toBe('PROCESSING');
    await e.advanceBy(10 * 60_000);
    expect((await gcallbackOf(e, cb.id))!).toMatchObject({ state: 'COMPLETED', reason: 'AGENT_CONNECTED' });
  });
});
