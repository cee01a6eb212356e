import { describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/engine.js';
import { callWebCallback, createWebCallback, quoteWebReschedule, setWebPending } from '../../src/engine/web-callback.js';
import { T0, demoEngine, allContacts, dumpStore } from '../helpers/world.js';

const MIN = 60_000;

function request(e: Engine, fromMin = 30, lenMin = 30) {
  const contact = allContacts(e).find((c) => c.tz === 'America/New_York')!;
  const it = e.exclusive(() => createWebCallback(e, contact.id, { from: T0 + fromMin * MIN, till: T0 + (fromMin + lenMin) * MIN, to: e.chainOf(contact.id)[0].contact_info }, 'Please call about my order'));
  return { it, contact };
}

const notifications = (e: Engine, id: string) => e.interaction(id)!.web!.notified;

describe('Web Callback', () => {
  it('waits off the desktop, then notifies exactly once at its instant', () => {
    const e = demoEngine();
    e.login('a.lopez', 'P');
    const { it } = request(e);
    expect(e.openInteractions().some((i) => i.id === it.id)).toBe(false);
    e.advanceTo(T0 + 30 * MIN - 1);
    expect(notifications(e, it.id)).toBe(0);
    e.advanceTo(T0 + 30 * MIN);
    expect(notifications(e, it.id)).toBe(1);
    expect(e.interaction(it.id)!.state).toBe('alerting');
    e.advanceBy(5 * 3600_000);
    expect(notifications(e, it.id)).toBe(1);
  });

  it('also lands in My Messages when the agent is busy', () => {
    const e = demoEngine();
    e.login('a.lopez', 'P');
    e.setStatus('NotReady');
    const { it, contact } = request(e, 10);
    e.advanceTo(T0 + 10 * MIN);
    expect(e.messagesFor('a.lopez')[0].subject).toBe(`Web Callback due: ${contact.firstName} ${contact.lastName}`);
    expect(e.interaction(it.id)!.state).toBe('alerting');
  });

  it('reschedules with Done: the request keeps its history and comes back at the new From time', () => {
    const e = demoEngine();
    e.login('a.lopez', 'P');
    const { it, contact } = request(e, 10);
    e.advanceTo(T0 + 10 * MIN);
    expect(e.acceptInteraction(it.id).ok).toBe(true);
    expect(e.interaction(it.id)!.state).toBe('preview');
    const q = quoteWebReschedule(e, it.id, { on: { year: 2026, month: 11, day: 25 }, from: { hour: 14, minute: 0 }, till: { hour: 14, minute: 30 }, to: e.chainOf(contact.id)[0].contact_info, tz: contact.tz });
    if (!q.ok) throw new Error(q.error);
    expect(q.value.from).toBe(Date.UTC(2026, 10, 25, 19));
    expect(setWebPending(e, it.id, q.value).ok).toBe(true);
    const done = e.markDone(it.id);
    expect(done.ok && done.value).toContain('rescheduled to Wed 25 Nov 14:00-14:30 EST');
    const after = e.interaction(it.id)!;
    expect(after.state).toBe('waiting');
    expect(after.web!.history).toHaveLength(1);
    expect(after.web!.history[0].window.from).toBe(T0 + 10 * MIN);
    e.advanceTo(Date.UTC(2026, 10, 25, 19) - 1);
    expect(e.interaction(it.id)!.state).toBe('waiting');
    e.advanceTo(Date.UTC(2026, 10, 25, 19));
    expect(e.interaction(it.id)!.state).toBe('alerting');
    expect(notifications(e, it.id)).toBe(2);
  });

  it('refuses Till not after From, windows outside the service hours, past dates and gap times', () => {
    const e = demoEngine();
    const { it, contact } = request(e);
    const to = e.chainOf(contact.id)[0].contact_info;
    const q = (on: { year: number; month: number; day: number }, from: [number, number], till: [number, number]) =>
      quoteWebReschedule(e, it.id, { on, from: { hour: from[0], minute: from[1] }, till: { hour: till[0], minute: till[1] }, to, tz: contact.tz });
    expect(q({ year: 2026, month: 11, day: 25 }, [14, 0], [13, 30])).toEqual({ ok: false, error: 'Till (13:30 EST) must be after From (14:00 EST)' });
    expect(q({ year: 2026, month: 11, day: 25 }, [21, 0], [21, 30])).toMatchObject({ ok: false, error: expect.stringContaining('outside the hours of customer-care') });
    expect(q({ year: 2026, month: 11, day: 29 }, [10, 0], [10, 30])).toMatchObject({ ok: false, error: expect.stringContaining('(closed)') });
    expect(q({ year: 2026, month: 11, day: 23 }, [10, 0], [10, 30])).toMatchObject({ ok: false, error: expect.stringContaining('in the past') });
    const spring = demoEngine(7, Date.UTC(2027, 2, 10, 15));
    const r = request(spring);
    const gap = quoteWebReschedule(spring, r.it.id, { on: { year: 2027, month: 3, day: 14 }, from: { hour: 2, minute: 30 }, till: { hour: 3, minute: 30 }, to, tz: 'America/New_York' });
    expect(gap).toMatchObject({ ok: false, error: expect.stringContaining('01:59 EST or 03:00 EDT') });
  });

  it('calls only after the notification is accepted', () => {
    const e = demoEngine();
    e.login('a.lopez', 'P');
    const { it } = request(e, 5);
    e.advanceTo(T0 + 5 * MIN);
    expect(callWebCallback(e, it.id).ok).toBe(false);
    e.acceptInteraction(it.id);
    expect(callWebCallback(e, it.id).ok).toBe(true);
    expect(e.markDone(it.id).ok).toBe(false);
    e.endInteraction(it.id);
    expect(e.markDone(it.id).ok).toBe(true);
    expect(e.interaction(it.id)!.state).toBe('done');
  });

  it('simulated customers send requests through the day', () => {
    const e = demoEngine();
    e.advanceBy(8 * 3600_000);
    e.commit();
    expect(dumpStore(e).interaction.filter((i) => (i as { kind: string }).kind === 'web-callback').length).toBeGreaterThan(5);
  });
});
