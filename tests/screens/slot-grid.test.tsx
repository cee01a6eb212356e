import { afterEach, describe, expect, it } from 'vitest';
import { bookGenesysCallback, slotsOnDate } from '../../src/engine/genesys-callback.js';
import { cellText } from '../../src/screens/components/slot-grid.js';
import { demoEngine, testZones, allGcallbacks } from '../helpers/world.js';
import { mountDesk } from '../helpers/desk.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

/** Team Communicator -> Action -> New Callback for the first Garcia, focus on the grid. */
async function gridFor(color: boolean, nextDay = true, seed = 7) {
  const engine = await demoEngine(seed);
  const d = await mountDesk(engine, { columns: 100, rows: 30, color });
  cleanup = d.unmount;
  await d.keys('enter', '4');
  await d.type('garcia');
  await d.keys('enter', 'enter');
  // Type, Service, Time zone, Date (next day), Number, grid
  await d.keys('tab', 'tab', 'tab', ...(nextDay ? ['right'] : []), 'tab', 'tab');
  return { engine, ...d };
}

describe('the slot grid (100x30, seed 7, 2026-11-24T15:00Z)', () => {
  it('in colour: available cells blue with their time range, unavailable grey', async () => {
    const d = await gridFor(true, false);
    const frame = d.term.lastFrame();
    expect(frame).toMatch(/\x1b\[44m(?:\x1b\[[0-9;]*m)*\[11:45-12:00\]/); // blue background (11:30, the first open slot, has the cursor)
    expect(frame).toMatch(/\x1b\[100m(?:\x1b\[[0-9;]*m)*░/); // grey background
    expect(d.screen()).toContain('Slots Tue 24 Nov in America/St_Johns');
    // The cursor starts on the first slot that can be booked, not on a past one.
    expect(d.screen()).toContain('▶11:30-11:45◀');
    expect(frame).toMatchSnapshot();
  });

  it('in NO_COLOR: the same states by glyph and word, and the cursor readable', async () => {
    const d = await gridFor(false);
    const frame = d.term.lastFrame();
    expect(frame).not.toMatch(/\x1b\[(3|4|9|10)\dm/);
    expect(d.screen()).toContain('▶09:30-09:45◀');
    expect(d.screen()).toContain('[09:45-10:00]');
    expect(d.screen()).toMatchSnapshot();
  });

  it('marks full and past slots unavailable in text', async () => {
    const z = testZones();
    const e = await demoEngine(7);
    const today = await e.read((q) => slotsOnDate(e, q, 'customer-care', { year: 2026, month: 11, day: 24 }, 'America/New_York'));
    expect(cellText(today[0], z, 'America/New_York', false)).toBe('░08:00 past ░');
    expect(cellText({ ...today[20], unavailable: 'full', remaining: 0 }, z, 'America/New_York', false)).toBe('░13:00 full ░');
    expect(cellText(today[20], z, 'America/New_York', true)).toBe('▶13:00-13:15◀');
  });

  it('refuses a slot that filled meanwhile, keeps the form, and shows the cell full', async () => {
    const d = await gridFor(false);
    await d.keys('right', 'enter');
    expect(d.screen()).toContain('› [ OK ]');
    const slot = (await d.engine.read((q) => slotsOnDate(d.engine, q, 'customer-care', { year: 2026, month: 11, day: 25 }, 'America/St_Johns')))[1];
    // Three web customers take every place of the chosen slot while the agent looks.
    for (let i = 0; i < 3; i++) expect((await bookGenesysCallback(d.engine, { service: 'customer-care', contactId: null, customerNumber: '+12125550100', type: 'Scheduled', slot: slot.start, bookedBy: 'web' })).ok).toBe(true);
    await d.settle();
    await d.keys('enter');
    const s = d.screen();
    expect(s).toContain('CallbackExceptionAvailability');
    expect(s).toContain('New Callback ·');
    expect(s).toContain('░09:45 full ░');
    expect((await allGcallbacks(d.engine)).filter((c) => c.slot === slot.start)).toHaveLength(3);
  });

  it('relabels the same instants when the zone changes', async () => {
    const d = await gridFor(false);
    await d.keys('shift+tab', 'shift+tab', 'shift+tab');
    await d.type('kolkata');
    await d.keys('enter');
    expect(d.screen()).toContain('Slots Wed 25 Nov in Asia/Kolkata');
    // 08:00 in New York (13:00Z) is 18:30 in Kolkata.
    expect(d.screen()).toContain('[18:30-18:45]');
  });
});

describe('the slot legend (issue 21)', () => {
  for (const [columns, rows] of [
    [80, 24],
    [100, 30],
  ] as const) {
    it(`explains every mark at ${columns}x${rows}, the ( ) of a slot outside the number's contact hours too, uncut`, async () => {
      const engine = await demoEngine(7);
      const d = await mountDesk(engine, { columns, rows });
      cleanup = d.unmount;
      // Lucas Thapa's number (Chicago) takes calls 10:00-18:00: the morning slots are off its hours.
      await d.keys('enter', '4');
      await d.type('lucas');
      await d.keys('enter', 'enter', 'tab', 'tab', 'tab', 'right', 'tab', 'tab');
      const s = d.screen();
      expect(s).toMatch(/\(\d\d:\d\d-\d\d:\d\d\)/);
      const legend = s.split('\n').find((l) => l.includes('[ ] open'));
      expect(legend).toBeDefined();
      expect(legend).toContain("( ) outside the number's");
      expect(legend).toContain('░ ░ full');
      expect(legend).toContain('chosen');
      expect(legend).not.toContain('…');
      expect(s.split('\n').length).toBeLessThanOrEqual(rows);
    });
  }
});
