import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/engine.js';
import { callbackCallOnDesk, demoEngine } from '../helpers/world.js';
import { chainOf, mountDesk } from '../helpers/desk.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

/** A callback of `campaign` on the agent's desk, its window open on Reschedule Callback. */
async function rescheduleViewFor(campaign: string, engine?: Engine, size = { columns: 80, rows: 24 }) {
  engine ??= await demoEngine(7);
  const { rec } = await callbackCallOnDesk(engine, campaign);
  const d = await mountDesk(engine, size);
  cleanup = d.unmount;
  await d.keys('5', 'enter', 'r');
  return { ...d, engine, rec };
}

describe('Reschedule Callback view (80x24, seed 7, 2026-11-24T15:00Z)', () => {
  it('shows the Personal Callback box when the campaign lets the agent choose', async () => {
    const d = await rescheduleViewFor('care-follow-up');
    const s = d.screen();
    expect(s).toContain('[ ] Personal Callback');
    expect(s).toMatchSnapshot();
  });

  it('locks Personal Callback on when every callback of the campaign is personal', async () => {
    const d = await rescheduleViewFor('winter-appeal');
    const s = d.screen();
    expect(s).toContain('[x] Personal Callback (every callback of this campaign is personal)');
    await d.keys('space');
    expect(d.screen()).toContain('personal: only you get it');
    expect(d.screen()).toMatchSnapshot();
  });

  it('hides Personal Callback when the campaign books campaign callbacks only', async () => {
    const d = await rescheduleViewFor('policy-renewals');
    await d.keys('space');
    const s = d.screen();
    expect(s).not.toContain('Personal Callback');
    expect(s).toContain('campaign callback: any agent of Policy Renewals');
    expect(s).toMatchSnapshot();
  });

  it('opens help over the form, listing the field, the view and the global keys, and keeps the form', async () => {
    const d = await rescheduleViewFor('care-follow-up', await demoEngine(7), { columns: 100, rows: 40 });
    await d.keys('space', 'tab', 'tab', '?');
    const s = d.screen();
    expect(s).toContain('This view: Time field');
    expect(s).toContain('One hour later');
    expect(s).toContain('Reschedule Callback');
    // ↑/↓ step the minutes here: the form's Next and Previous field are Tab and Shift+Tab only.
    expect(s).toMatch(/ down +One minute earlier/);
    expect(s).toMatch(/ tab +Next field/);
    expect(s).not.toMatch(/tab, down +Next field/);
    await d.keys('esc');
    expect(d.screen()).toContain('› Time');
    await d.keys('ctrl+c');
    expect(d.screen()).toContain('Quit callback-desk?');
    await d.keys('n');
    expect(d.screen()).toContain('› Time');
  });

  it('reads dates in words, steps the time and shows both local times', async () => {
    const d = await rescheduleViewFor('care-follow-up', await demoEngine(7), { columns: 100, rows: 30 });
    await d.keys('space', 'tab');
    await d.type('next monday');
    await d.keys('enter', 'tab', 'up', 'up', 'pageup');
    const s = d.screen();
    expect(s).toContain('Mon 30 Nov 2026');
    expect(s).toMatch(/Time\s+12:02 EST/);
    expect(s).toContain('Contact Mon 30 Nov 12:02 EST');
  });

  it('reads typed text on leaving the field (Tab) and on closing (Esc) as Enter would; text it cannot read keeps the focus', async () => {
    const d = await rescheduleViewFor('care-follow-up', await demoEngine(7), { columns: 100, rows: 30 });
    await d.keys('space', 'tab');
    await d.type('friday 4pm');
    await d.keys('tab');
    expect(d.screen()).toContain('Contact Fri 27 Nov 16:00 EST');
    expect(d.screen()).not.toContain('friday 4pm');
    // Unreadable text: Tab stays on Date with the reason.
    await d.keys('shift+tab');
    await d.type('blursday');
    await d.keys('tab');
    expect(d.screen()).toContain('cannot read "blursday" as a date');
    expect(d.screen()).toMatch(/› Date\s+blursday/);
    // Typed, then Esc: the view closes on the typed date, which the call keeps for Done.
    await d.keys(...Array(8).fill('backspace'));
    await d.type('next monday 10am');
    await d.keys('esc');
    expect(d.screen()).toContain('callback set for Mon 30 Nov 10:00');
    const it = d.engine.openInteractions()[0];
    expect(d.engine.zones.format(it.outbound!.pendingReschedule!.at, 'America/New_York', 'ccc d LLL HH:mm')).toBe('Mon 30 Nov 10:00 EST');
  });

  it('reads a typed date and a typed time in the zone they name, and says so', async () => {
    const d = await rescheduleViewFor('care-follow-up', await demoEngine(7), { columns: 100, rows: 30 });
    await d.keys('space', 'tab');
    await d.type('2026-11-30T15:00:00Z');
    await d.keys('enter');
    expect(d.screen()).toContain('read in UTC');
    expect(d.screen()).toMatch(/Time\s+10:00 EST/);
    await d.keys('tab');
    await d.type('18:30 Europe/Berlin');
    await d.keys('enter');
    // 18:30 in Berlin on 30 November is 12:30 in New York.
    expect(d.screen()).toMatch(/Time\s+12:30 EST/);
    expect(d.screen()).toContain('read in Europe/Berlin');
  });

  it('shows a time the clocks skip as skipped, never with a zone abbreviation', async () => {
    // 8 March 2026, 02:30 in New York does not exist (spring forward).
    const d = await rescheduleViewFor('care-follow-up', await demoEngine(7, Date.UTC(2026, 2, 1, 15)), { columns: 100, rows: 30 });
    await d.keys('space', 'tab');
    await d.type('2026-03-08 02:30');
    await d.keys('enter');
    const s = d.screen();
    expect(s).toMatch(/Time\s+02:30 ✕ skipped by daylight saving/);
    expect(s).not.toMatch(/02:30 E[DS]T/);
    expect(s).toContain('does not exist');
  });

  it('picks a day on the calendar, paging months', async () => {
    const d = await rescheduleViewFor('care-follow-up', await demoEngine(7), { columns: 100, rows: 40 });
    await d.keys('space', 'tab', 'f4');
    expect(d.screen()).toContain('November 2026');
    await d.keys('pagedown');
    expect(d.screen()).toContain('December 2026');
    await d.keys('right', 'enter');
    expect(d.screen()).toContain('Sat 26 Dec 2026');
  });

  it('refuses a time in the daylight-saving gap with the nearest valid times, and keeps the form open', async () => {
    const d = await rescheduleViewFor('care-follow-up', await demoEngine(7, Date.UTC(2026, 2, 6, 15)), { columns: 100, rows: 30 });
    await d.keys('space', 'tab');
    await d.type('2026-03-08 02:30');
    await d.keys('enter');
    expect(d.screen()).toContain('2026-03-08 02:30 does not exist in America/New_York');
    expect(d.screen()).toContain('01:59 EST or 03:00 EDT');
    await d.keys('esc');
    expect(d.screen()).toContain('Fix it, or clear Reschedule Callback to close');
    expect(Object.values(d.engine.state.interactions)[0].outbound?.pendingReschedule).toBeNull();
  });

  it('asks which of the two times in the fall-back hour', async () => {
    const d = await rescheduleViewFor('care-follow-up', await demoEngine(7, Date.UTC(2026, 9, 30, 15)), { columns: 100, rows: 30 });
    await d.keys('space', 'tab');
    await d.type('2026-11-01 01:30');
    await d.keys('enter');
    expect(d.screen()).toContain('happens twice');
    await d.keys('tab', 'tab');
    expect(d.screen()).toContain('choose with ←/→');
    await d.keys('right');
    expect(d.screen()).toContain('first 01:30 EDT');
    expect(d.screen()).not.toContain('happens twice');
  });

  it('marks the calendar days past the campaign\'s callback horizon', async () => {
    const d = await rescheduleViewFor('care-follow-up', await demoEngine(7), { columns: 100, rows: 30 });
    await d.keys('space', 'tab', 'f4', 'pagedown');
    expect(d.screen()).toContain('December 2026');
    // Horizon 30 days from Tue 24 Nov 10:00: the 24th is the last day that can be chosen.
    expect(d.screen()).toMatch(/ 24 +\[25\] +26× +27×/);
    expect(d.screen()).toMatch(/ 28× +29× +30× +31×/);
  });

  it('refuses a malformed new number on the form and adds a good one', async () => {
    const d = await rescheduleViewFor('care-follow-up', await demoEngine(7), { columns: 100, rows: 30 });
    const before = (await chainOf(d.engine, d.rec.contact_id)).length;
    await d.keys('tab', 'tab', 'tab', 'tab', 'tab', 'enter');
    expect(d.screen()).toContain('New Phone Number · contact hours');
    await d.type('555');
    await d.keys('enter');
    expect(d.screen()).toContain('not a valid phone number');
    expect(await chainOf(d.engine, d.rec.contact_id)).toHaveLength(before);
    for (let i = 0; i < 3; i++) await d.keys('backspace');
    await d.type('+44 20 7946 0123');
    await d.keys('enter');
    expect(d.screen()).toContain('added +442079460123');
    expect(await chainOf(d.engine, d.rec.contact_id)).toHaveLength(before + 1);
  });
});
