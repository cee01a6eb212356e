import { afterEach, describe, expect, it } from 'vitest';
import { allContacts, demoEngine, genesysCallbackDue } from '../helpers/world.js';
import { chainOf, gcallbackOf, mountDesk } from '../helpers/desk.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

/** A Genesys callback of customer-care due now, accepted, its Reschedule Callback view open (100x30). */
async function rescheduleView() {
  const engine = await demoEngine(7);
  await engine.login('a.lopez', 'Place_3101');
  for (const ch of ['chat', 'email', 'sms'] as const) await engine.setChannel(ch, 'NotReady');
  // No dialer call either: the callback is the one interaction on the desk.
  const booked = await genesysCallbackDue(engine);
  const d = await mountDesk(engine, { columns: 100, rows: 30 });
  cleanup = d.unmount;
  await d.keys('5', 'enter', 'a', 'r');
  return { ...d, engine, cb: booked };
}

describe('Genesys Callback: Reschedule Callback of a callback interaction (100x30, seed 7)', () => {
  it('has the Reschedule Callback box and the callback type, as the help page describes', async () => {
    const d = await rescheduleView();
    const s = d.screen();
    expect(s).toContain(`Reschedule Callback ${d.cb.id}`);
    expect(s).toContain('› [ ] Reschedule Callback');
    expect(s).toContain('Type       ‹ Scheduled ›');
    expect(s).toContain('[ OK ]  commits the move · esc cancels');
  });

  it('starts the cursor on the first open slot, marks the chosen one, and commits on OK', async () => {
    const d = await rescheduleView();
    await d.keys('tab', 'tab', 'tab', 'right', 'tab');
    expect(d.screen()).toMatch(/▶\d\d:\d\d-\d\d:\d\d◀/);
    await d.keys('right', 'enter');
    // Focus is on OK now: the chosen slot keeps its mark, and the box is checked.
    const chosen = /«(\d\d:\d\d)-\d\d:\d\d»/.exec(d.screen());
    expect(chosen).not.toBeNull();
    expect(d.screen()).toContain('[x] Reschedule Callback');
    await d.keys('enter');
    const cb = (await gcallbackOf(d.engine, d.cb.id))!;
    expect(cb.slot).not.toBe(d.cb.slot);
    expect(d.engine.zones.formatPlain(cb.slot, 'America/New_York', 'HH:mm')).toBe(chosen![1]);
  });

  it('cancels on Esc, asking first when something changed; the booking keeps its time', async () => {
    const d = await rescheduleView();
    await d.keys('esc');
    expect(d.screen()).not.toContain('Reschedule Callback CB');
    await d.keys('r', 'tab', 'right');
    expect(d.screen()).toContain('‹ Delayed (Agent Preview) ›');
    await d.keys('esc');
    expect(d.screen()).toContain(`Discard the change to ${d.cb.id}? It keeps its time. y/n`);
    await d.keys('n');
    expect(d.screen()).toContain('[x] Reschedule Callback');
    await d.keys('esc', 'y');
    expect(d.screen()).not.toContain(`Reschedule Callback ${d.cb.id}`);
    const cb = (await gcallbackOf(d.engine, d.cb.id))!;
    expect(cb.slot).toBe(d.cb.slot);
    expect(cb.type).toBe('Scheduled');
  });

  it('dims the calendar days the service is closed and marks them without colour', async () => {
    const d = await rescheduleView();
    await d.keys('tab', 'tab', 'tab', 'f4');
    // customer-care is closed on Sundays: 29 November 2026 is one.
    expect(d.screen()).toMatch(/29×/);
    expect(d.screen()).toContain('× closed');
  });

  it('starts a New Callback grid on the first slot inside the number\'s contact hours', async () => {
    const engine = await demoEngine(7);
    const contact = (await allContacts(engine)).find((c) => c.tz === 'America/Vancouver')!;
    const number = (await chainOf(engine, contact.id))[0];
    const d = await mountDesk(engine, { columns: 100, rows: 30 });
    cleanup = d.unmount;
    await d.keys('enter', '4');
    await d.type(number.contact_info);
    await d.keys('enter', 'enter', 'tab', 'tab', 'tab', 'right', 'tab', 'tab');
    // Early customer-care slots are before the Vancouver number's hours: shown (…), skipped.
    expect(d.screen()).toMatch(/\(\d\d:\d\d-\d\d:\d\d\)/);
    const cursor = /▶(\d\d):(\d\d)-\d\d:\d\d◀/.exec(d.screen())!;
    expect(Number(cursor[1]) * 3600 + Number(cursor[2]) * 60).toBeGreaterThanOrEqual(number.daily_from);
  });
});

describe('the calendar legend (issue 21)', () => {
  for (const [columns, rows] of [
    [80, 24],
    [100, 30],
  ] as const) {
    it(`calls past days past and closed days closed, each with its own mark, at ${columns}x${rows}`, async () => {
      const engine = await demoEngine(7);
      const d = await mountDesk(engine, { columns, rows });
      cleanup = d.unmount;
      await d.keys('enter', '4');
      await d.type('garcia');
      await d.keys('enter', 'enter', 'tab', 'tab', 'tab', 'f4');
      const s = d.screen();
      expect(s).toContain('November 2026');
      // Mon 23 November is past (today is Tue 24); Sun 22 is past too (past wins); Sun 29 is closed.
      expect(s).toMatch(/ 23·\s*\*?\[?24/);
      expect(s).toMatch(/ 22·/);
      expect(s).toMatch(/29×/);
      expect(s).toContain('* today [ ] chosen · past × closed');
      expect(s).not.toContain('· closed');
      // A month with no past day names only the marks it shows.
      await d.keys('pagedown');
      expect(d.screen()).toContain('December 2026');
      expect(d.screen()).not.toContain('· past');
      expect(d.screen()).toContain('× closed');
    });
  }
});
