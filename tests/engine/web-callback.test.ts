import { describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/engine.js';
import { callWebCallback, createWebCallback, quoteWebReschedule, setWebPending, webCallbackActionRefusal } from '../../src/engine/web-callback.js';
import { T0, demoEngine, allContacts, dumpStore, interactionOf } from '../helpers/world.js';

const MIN = 60_000;

async function request(e: Engine, fromMin = 30, lenMin = 30) {
  const contact = (await allContacts(e)).find((c) => c.tz === 'America/New_York')!;
  const it = await e.exclusive(async () => createWebCallback(e, contact.id, { from: T0 + fromMin * MIN, till: T0 + (fromMin + lenMin) * MIN, to: (await e.chainOf(contact.id))[0].contact_info }, 'Please call about my order'));
  return { it, contact };
}

/** The first number of a contact's chain, as committed. */
const firstNumber = async (e: Engine, contactId: string) => (await e.read((q) => q.records.ofContact(contactId)))[0].contact_info;

const notifications = async (e: Engine, id: string) => (await interactionOf(e, id))!.web!.notified;

describe('Web Callback', () => {
  it('waits off the desktop, then notifies exactly once at its instant', async () => {
    const e = await demoEngine();
    await e.login('a.lopez', 'P');
    const { it } = await request(e);
    expect(e.openInteractions().some((i) => i.id === it.id)).toBe(false);
    await e.advanceTo(T0 + 30 * MIN - 1);
    expect(await notifications(e, it.id)).toBe(0);
    await e.advanceTo(T0 + 30 * MIN);
    expect(await notifications(e, it.id)).toBe(1);
    expect((await interactionOf(e, it.id))!.state).toBe('alerting');
    await e.advanceBy(5 * 3600_000);
    expect(await notifications(e, it.id)).toBe(1);
  });

  it('also lands in My Messages when the agent is busy', async () => {
    const e = await demoEngine();
    await e.login('a.lopez', 'P');
    await e.setStatus('NotReady');
    const { it, contact } = await request(e, 10);
    await e.advanceTo(T0 + 10 * MIN);
    expect((await e.messagesFor('a.lopez'))[0].subject).toBe(`Web Callback due: ${contact.firstName} ${contact.lastName}`);
    expect((await interactionOf(e, it.id))!.state).toBe('alerting');
  });

  it('reschedules with Done: the request keeps its history and comes back at the new From time', async () => {
    const e = await demoEngine();
    await e.login('a.lopez', 'P');
    const { it, contact } = await request(e, 10);
    await e.advanceTo(T0 + 10 * MIN);
    expect((await e.acceptInteraction(it.id)).ok).toBe(true);
    expect((await interactionOf(e, it.id))!.state).toBe('preview');
    const q = quoteWebReschedule(e, it.id, { on: { year: 2026, month: 11, day: 25 }, from: { hour: 14, minute: 0 }, till: { hour: 14, minute: 30 }, to: await firstNumber(e, contact.id), tz: contact.tz, contactTz: contact.tz });
    if (!q.ok) throw new Error(q.error);
    expect(q.value.from).toBe(Date.UTC(2026, 10, 25, 19));
    expect((await setWebPending(e, it.id, q.value)).ok).toBe(true);
    const done = await e.markDone(it.id);
    expect(done.ok && done.value).toContain('rescheduled to Wed 25 Nov 14:00-14:30 EST');
    const after = (await interactionOf(e, it.id))!;
    expect(after.state).toBe('waiting');
    expect(after.web!.history).toHaveLength(1);
    expect(after.web!.history[0].window.from).toBe(T0 + 10 * MIN);
    await e.advanceTo(Date.UTC(2026, 10, 25, 19) - 1);
    expect((await interactionOf(e, it.id))!.state).toBe('waiting');
    await e.advanceTo(Date.UTC(2026, 10, 25, 19));
    expect((await interactionOf(e, it.id))!.state).toBe('alerting');
    expect(await notifications(e, it.id)).toBe(2);
  });

  it('refuses Till not after From, windows outside the service hours, past dates and gap times', async () => {
    const e = await demoEngine();
    const { it, contact } = await request(e);
    const to = await firstNumber(e, contact.id);
    const q = (on: { year: number; month: number; day: number }, from: [number, number], till: [number, number]) =>
      quoteWebReschedule(e, it.id, { on, from: { hour: from[0], minute: from[1] }, till: { hour: till[0], minute: till[1] }, to, tz: contact.tz, contactTz: contact.tz });
    expect(q({ year: 2026, month: 11, day: 25 }, [14, 0], [13, 30])).toEqual({ ok: false, error: 'Till (13:30 EST) must be after From (14:00 EST)' });
    expect(q({ year: 2026, month: 11, day: 25 }, [21, 0], [21, 30])).toMatchObject({ ok: false, error: expect.stringContaining('outside the hours of customer-care') });
    expect(q({ year: 2026, month: 11, day: 29 }, [10, 0], [10, 30])).toMatchObject({ ok: false, error: expect.stringContaining('(closed)') });
    expect(q({ year: 2026, month: 11, day: 23 }, [10, 0], [10, 30])).toMatchObject({ ok: false, error: expect.stringContaining('in the past') });
    const spring = await demoEngine(7, Date.UTC(2027, 2, 10, 15));
    const r = await request(spring);
    const gap = quoteWebReschedule(spring, r.it.id, { on: { year: 2027, month: 3, day: 14 }, from: { hour: 2, minute: 30 }, till: { hour: 3, minute: 30 }, to, tz: 'America/New_York', contactTz: r.contact.tz });
    expect(gap).toMatchObject({ ok: false, error: expect.stringContaining('01:59 EST or 03:00 EDT') });
  });

  it('calls only after the notification is accepted', async () => {
    const e = await demoEngine();
    await e.login('a.lopez', 'P');
    const { it } = await request(e, 5);
    await e.advanceTo(T0 + 5 * MIN);
    expect((await callWebCallback(e, it.id)).ok).toBe(false);
    await e.acceptInteraction(it.id);
    expect((await callWebCallback(e, it.id)).ok).toBe(true);
    expect((await e.markDone(it.id)).ok).toBe(false);
    await e.endInteraction(it.id);
    expect((await e.markDone(it.id)).ok).toBe(true);
    expect((await interactionOf(e, it.id))!.state).toBe('done');
  });

  it('simulated customers send requests through the day', async () => {
    const e = await demoEngine();
    await e.advanceBy(8 * 3600_000);
    await e.commit();
    expect(dumpStore(e).interaction.filter((i) => (i as { kind: string }).kind === 'web-callback').length).toBeGreaterThan(5);
  });

  it('offers each action exactly when its command accepts it: call and Done answer as the refusal the keys show', async () => {
    const e = await demoEngine();
    await e.login('a.lopez', 'P');
    const { it } = await request(e, 10);
    await e.advanceTo(T0 + 10 * MIN);
    const stateOf = async () => (await interactionOf(e, it.id))!;
    // Alerting: nothing but accept; call and Done say why, as their keys do.
    let now = await stateOf();
    expect(now.state).toBe('alerting');
    expect(webCallbackActionRefusal(now, 'accept')).toBeNull();
    for (const [action, run] of [['call', () => callWebCallback(e, it.id)], ['done', () => e.markDone(it.id)]] as const) {
      const r = await run();
      expect(r.ok).toBe(false);
      expect(!r.ok && r.error).toBe(webCallbackActionRefusal(now, action));
    }
    // Accepted (a preview): call is offered and accepted; end is not.
    expect((await e.acceptInteraction(it.id)).ok).toBe(true);
    now = await stateOf();
    expect(webCallbackActionRefusal(now, 'call')).toBeNull();
    expect(webCallbackActionRefusal(now, 'end')).toBe('there is no call to end');
    expect((await callWebCallback(e, it.id)).ok).toBe(true);
    // On the call: Done is refused with the words its key shows; end is offered.
    now = await stateOf();
    expect(now.state).toBe('connected');
    expect(webCallbackActionRefusal(now, 'end')).toBeNull();
    const done = await e.markDone(it.id);
    expect(!done.ok && done.error).toBe(webCallbackActionRefusal(now, 'done'));
    const again = await callWebCallback(e, it.id);
    expect(!again.ok && again.error).toBe(webCallbackActionRefusal(now, 'call'));
  });
});
