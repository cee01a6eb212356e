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
import { T0, demoEngine, testZones, allGcallbacks } from '../helpers/world.js';

const HOUR = 3600_000;
const allDay = (tz: string, slotMinutes: CallbackService['slotMinutes']): CallbackService => ({
  name: 'round-the-clock',
  tz,
  officeHours: { weekly: Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [d, [[0, 86400]]])), special: {} },
  slotMinutes,
  capacity: 2,
});

function engineAt(now: number, extra?: CallbackService): Engine {
  const e = demoEngine(7, now);
  if (extra) e.mut.services[extra.name] = extra;
  return e;
}

// Each booking for another customer: one customer holds a slot once.
let customer = 0;
const book = (e: Engine, service: string, slot: number, by = 'a.lopez', contactId = `C${String((customer++ % 300) + 1).padStart(4, '0')}`) =>
  bookGenesysCallback(e, { service, contactId, customerNumber: '+12125550100', type: 'Scheduled', slot, bookedBy: by });

describe('Genesys Callback availability', () => {
  it('cuts office hours into slots of the service\'s length, with capacity left', () => {
    const e = engineAt(T0);
    const slots = slotsOnDate(e, 'customer-care', { year: 2026, month: 11, day: 25 }, 'America/New_York');
    expect(slots).toHaveLength(48); // 08:00-20:00 in 15-minute slots
    expect(new Date(slots[0].start).toISOString()).toBe('2026-11-25T13:00:00.000Z');
    expect(slots.every((s) => s.remaining === 3 && s.total === 3 && s.unavailable === null)).toBe(true);
  });

  it('has 23 hours of slots on the spring-forward day and 25 on the fall-back day', () => {
    const svc = allDay('America/New_York', 15);
    const spring = engineAt(Date.UTC(2026, 2, 1), svc);
    expect(slotsOnDate(spring, svc.name, { year: 2026, month: 3, day: 8 }, 'America/New_York')).toHaveLength(23 * 4);
    const fall = engineAt(Date.UTC(2026, 9, 25), svc);
    expect(slotsOnDate(fall, svc.name, { year: 2026, month: 11, day: 1 }, 'America/New_York')).toHaveLength(25 * 4);
  });

  it('lets a slot straddle the gap: 01:40 EST to 03:00 EDT is 20 minutes', () => {
    const svc = allDay('America/New_York', 20);
    const e = engineAt(Date.UTC(2026, 2, 1), svc);
    const slots = slotsOnDate(e, svc.name, { year: 2026, month: 3, day: 8 }, 'America/New_York');
    const z = testZones();
    const straddle = slots.find((s) => z.formatPlain(s.start, 'America/New_York', 'HH:mm') === '01:40')!;
    expect(straddle.end - straddle.start).toBe(20 * 60_000);
    expect(z.format(straddle.end, 'America/New_York', 'HH:mm')).toBe('03:00 EDT');
  });

  it('reports half-hour and 45-minute offsets exactly: Kathmandu opens 07:00 = 01:15Z = 06:45 in Kolkata', () => {
    const e = engineAt(T0);
    const a = availability(e, { service: 'tech-support', start: Date.UTC(2026, 10, 25, 0), days: 1, timezone: 'Asia/Kolkata' });
    expect(a.ok).toBe(true);
    if (!a.ok) return;
    expect(a.value.durationMin).toBe(20);
    expect(a.value.timezone).toBe('Asia/Kolkata');
    expect(a.value.slots[0]).toEqual({ utcTime: '2026-11-25T01:15:00Z', localTime: '2026-11-25T06:45:00+05:30', capacity: 4, total: 4 });
  });

  it('follows the 2026 rules of America/Vancouver', () => {
    const svc: CallbackService = { ...allDay('America/Vancouver', 60), name: 'bc', officeHours: { weekly: { 1: [], 2: [[9 * 3600, 17 * 3600]], 3: [], 4: [], 5: [], 6: [], 7: [] }, special: {} } };
    const e = engineAt(Date.UTC(2026, 10, 20), svc);
    const a = availability(e, { service: 'bc', start: Date.UTC(2026, 10, 24), days: 1 });
    expect(a.ok && a.value.slots[0]).toMatchObject({ utcTime: '2026-11-24T16:00:00Z', localTime: '2026-11-24T09:00:00-07:00' });
  });

  it('is closed on special days and never offers the past', () => {
    const e = engineAt(Date.UTC(2026, 11, 21, 15)); // Monday 21 Dec, 10:00 EST
    expect(slotsOnDate(e, 'customer-care', { year: 2026, month: 12, day: 25 }, 'America/New_York')).toHaveLength(0);
    expect(slotsOnDate(e, 'customer-care', { year: 2026, month: 12, day: 24 }, 'America/New_York')).toHaveLength(24);
    const today = slotsOnDate(e, 'customer-care', { year: 2026, month: 12, day: 21 }, 'America/New_York');
    expect(today.filter((s) => s.unavailable === 'past').length).toBeGreaterThan(0);
    const a = availability(e, { service: 'customer-care', start: Date.UTC(2026, 11, 21), days: 1 });
    expect(a.ok && a.value.slots.every((s) => Date.parse(s.utcTime) >= e.now)).toBe(true);
  });

  it('reports busy slots only when asked', () => {
    const e = engineAt(T0);
    const slot = slotsOnDate(e, 'billing', { year: 2026, month: 11, day: 25 }, 'Europe/London')[0];
    expect(book(e, 'billing', slot.start).ok).toBe(true);
    expect(book(e, 'billing', slot.start).ok).toBe(true);
    const q = { service: 'billing', start: Date.UTC(2026, 10, 25), days: 1 };
    const free = availability(e, q);
    const busy = availability(e, { ...q, reportBusy: true });
    expect(free.ok && free.value.slots.some((s) => Date.parse(s.utcTime) === slot.start)).toBe(false);
    expect(busy.ok && busy.value.slots.find((s) => Date.parse(s.utcTime) === slot.start)).toMatchObject({ capacity: 0, total: 2 });
  });
});

describe('Genesys Callback booking', () => {
  it('takes capacity and refuses the slot once full, with CallbackExceptionAvailability', () => {
    const e = engineAt(T0);
    const slot = slotsOnDate(e, 'customer-care', { year: 2026, month: 11, day: 25 }, 'America/New_York')[4];
    for (let i = 0; i < 3; i++) expect(book(e, 'customer-care', slot.start).ok).toBe(true);
    const fourth = book(e, 'customer-care', slot.start);
    expect(fourth.ok).toBe(false);
    if (!fourth.ok) expect(fourth.error).toMatch(/^CallbackExceptionAvailability: the Wed 25 Nov 09:00 EST slot is full/);
    expect(slotsBetween(e, 'customer-care', slot.start, slot.start + 1)[0]).toMatchObject({ remaining: 0, unavailable: 'full' });
  });

  it('gives the last place to exactly one of two racing bookings', () => {
    const e = engineAt(T0);
    const slot = slotsOnDate(e, 'billing', { year: 2026, month: 11, day: 26 }, 'Europe/London')[3];
    expect(book(e, 'billing', slot.start, 'web').ok).toBe(true);
    const results = [book(e, 'billing', slot.start, 'a.lopez'), book(e, 'billing', slot.start, 'b.okafor')];
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(allGcallbacks(e).filter((c) => c.slot === slot.start)).toHaveLength(2);
  });

  it('refuses closed, off-grid and past times, and unknown services', () => {
    const e = engineAt(T0);
    expect(book(e, 'customer-care', Date.UTC(2026, 10, 26, 3)).ok).toBe(false); // 22:00 EST: closed
    expect(book(e, 'customer-care', Date.UTC(2026, 10, 25, 13, 7)).ok).toBe(false); // not a slot start
    expect(book(e, 'customer-care', T0 - HOUR)).toMatchObject({ ok: false });
    expect(book(e, 'nowhere', T0 + HOUR)).toMatchObject({ ok: false, error: expect.stringContaining('CallbackExceptionResource') });
  });

  it('reschedules into another slot, moving the capacity, and keeps the history', () => {
    const e = engineAt(T0);
    const [a, b] = slotsOnDate(e, 'customer-care', { year: 2026, month: 11, day: 25 }, 'America/New_York');
    const cb = book(e, 'customer-care', a.start);
    if (!cb.ok) throw new Error(cb.error);
    expect(rescheduleGenesysCallback(e, cb.value.id, b.start, 'a.lopez').ok).toBe(true);
    const [a2, b2] = slotsBetween(e, 'customer-care', a.start, b.start + 1);
    expect(a2.remaining).toBe(3);
    expect(b2.remaining).toBe(2);
    expect(e.gcallback(cb.value.id)!.history).toEqual([{ at: T0, desiredTime: a.start, by: 'a.lopez' }]);
    expect(cancelGenesysCallback(e, cb.value.id).ok).toBe(true);
    expect(slotsBetween(e, 'customer-care', b.start, b.start + 1)[0].remaining).toBe(3);
  });

  it('routes a due callback booked by the agent to the agent, SCHEDULED -> ROUTING -> PROCESSING -> COMPLETED', () => {
    const e = engineAt(T0);
    e.login('a.lopez', 'P');
    const slot = slotsOnDate(e, 'customer-care', { year: 2026, month: 11, day: 24 }, 'America/New_York').find((s) => s.unavailable === null)!;
    const cb = book(e, 'customer-care', slot.start);
    if (!cb.ok) throw new Error(cb.error);
    expect(cb.value.state).toBe('SCHEDULED');
    e.advanceTo(slot.start);
    expect(e.gcallback(cb.value.id)!.state).toBe('ROUTING');
    const it = e.openInteractions().find((i) => i.kind === 'callback')!;
    expect(it.caseData.GMS_CALLBACK_ID).toBe(cb.value.id);
    expect(e.acceptInteraction(it.id).ok).toBe(true);
    expect(e.gcallback(cb.value.id)!.state).toBe('PROCESSING');
    e.endInteraction(it.id);
    e.markDone(it.id);
    expect(e.gcallback(cb.value.id)!).toMatchObject({ state: 'COMPLETED', reason: 'AGENT_CONNECTED' });
  });

  it('lets simulated customers and colleagues book through the day', () => {
    const e = engineAt(T0);
    e.advanceBy(8 * HOUR);
    const cbs = allGcallbacks(e);
    expect(cbs.length).toBeGreaterThan(20);
    expect(cbs.some((c) => c.bookedBy === 'web')).toBe(true);
  });

  it('refuses a second booking of the same slot for the same customer, naming the first', () => {
    const svc = allDay('America/New_York', 15);
    const e = engineAt(T0, svc);
    const slot = slotsBetween(e, svc.name, T0 + HOUR, T0 + 2 * HOUR)[0].start;
    const first = book(e, svc.name, slot, 'a.lopez', 'C0042');
    expect(first.ok).toBe(true);
    const again = book(e, svc.name, slot, 'a.lopez', 'C0042');
    expect(again.ok).toBe(false);
    if (!again.ok && first.ok) expect(again.error).toContain(`callback ${first.value.id}`);
  });
});
