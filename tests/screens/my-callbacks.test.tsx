import { afterEach, describe, expect, it } from 'vitest';
import { render as inkRender } from 'ink';
import { render } from 'ink-testing-library';
import chalk from 'chalk';
import type { Engine } from '../../src/engine/engine.js';
import { RecordType } from '../../src/engine/domain.js';
import { bookGenesysCallback, slotsBetween } from '../../src/engine/genesys-callback.js';
import { myCallbacks } from '../../src/engine/my-callbacks.js';
import { scheduleCallback } from '../../src/engine/outbound.js';
import { createWebCallback } from '../../src/engine/web-callback.js';
import { ScriptedClock } from '../../src/runtime/clock-driver.js';
import { HeadlessTerminal, stripAnsi } from '../../src/runtime/headless-terminal.js';
import { DeskProvider } from '../../src/screens/desk-context.js';
import { KeypressProvider } from '../../src/screens/keypress.js';
import { keySequence } from '../../src/screens/keys.js';
import { preloadViews } from '../../src/screens/lazy-views.js';
import { MyCallbacksView, abbreviate, fitName, whenText } from '../../src/screens/main/my-callbacks.js';
import { ThemeProvider, makeTheme } from '../../src/screens/theme.js';
import { T0, allRecords, demoEngine, recordOf } from '../helpers/world.js';
import { gcallbackOf } from '../helpers/desk.js';

const H = 3_600_000;
/** a.lopez's callbacks, as committed. */
const mine = (e: Engine) => e.read((q) => myCallbacks(e, q, 'a.lopez'));
let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

/**
 * Seed 7 at 2026-11-24T15:00Z (10:00 in New York), a.lopez logged in: a web callback today at
 * 12:00 EST, a campaign callback a.lopez booked for tomorrow 08:00 EST, `personal` personal
 * callbacks an hour apart from tomorrow 09:00 EST, and a Genesys booking after them.
 */
async function bookedWorld(personal = 3): Promise<Engine> {
  const e = await demoEngine(7);
  await e.login('a.lopez', 'Place_3101');
  const general = (await allRecords(e)).filter((r) => r.record_type === RecordType.General);
  const pick = (campaign: string, i: number) => general.filter((r) => r.campaign_id === campaign)[i];
  for (let i = 0; i < personal; i++) {
    const r = i < 18 ? pick('care-follow-up', i) : pick('collections-q4', i - 18);
    const b = await scheduleCallback(e, { recordId: r.record_id, when: { kind: 'instant', utc: T0 + 23 * H + i * H }, personal: true, agentId: 'a.lopez' });
    if (!b.ok) throw new Error(b.error.message);
  }
  const camp = pick('policy-renewals', 0);
  const c = await scheduleCallback(e, { recordId: camp.record_id, when: { kind: 'instant', utc: T0 + 22 * H }, personal: false, agentId: 'a.lopez', bookedBy: 'a.lopez' });
  if (!c.ok) throw new Error(c.error.message);
  const slot = (await e.read((q) => slotsBetween(e, q, 'customer-care', T0 + (24 + personal) * H, T0 + 72 * H))).find((s) => s.unavailable === null)!;
  const g = await bookGenesysCallback(e, { service: 'customer-care', contactId: camp.contact_id, customerNumber: camp.contact_info, type: 'Scheduled', slot: slot.start, bookedBy: 'a.lopez' });
  if (!g.ok) throw new Error(g.error);
  await e.exclusive(() => createWebCallback(e, pick('care-follow-up', 30).contact_id, { from: T0 + 2 * H, till: T0 + 3 * H, to: pick('care-follow-up', 30).contact_info }, 'Question about my bill'));
  return e;
}

/**
 * The view alone (no main window) at a fixed size: through ink-testing-library, whose terminal is
 * 100 columns wide; wider, through the headless terminal the demos use.
 */
async function mount(engine: Engine, width: number, height: number) {
  await preloadViews();
  chalk.level = 0;
  const flashes: string[] = [];
  let closed = 0;
  const opened: string[] = [];
  const tree = (
    <DeskProvider value={{ engine, agentTz: 'America/New_York', clock: new ScriptedClock(), defaultAgent: 'a.lopez', defaultPlace: 'Place_3101' }}>
      <ThemeProvider value={makeTheme(false)}>
        <KeypressProvider>
          <MyCallbacksView width={width} height={height} onClose={() => closed++} onFlash={(m) => flashes.push(m)} onOpenInteraction={(id) => opened.push(id)} />
        </KeypressProvider>
      </ThemeProvider>
    </DeskProvider>
  );
  let frames: string[];
  let write: (s: string) => void;
  if (width <= 100) {
    const r = render(tree);
    cleanup = () => {
      r.unmount();
      r.cleanup();
    };
    frames = r.frames;
    write = (k) => r.stdin.write(k);
  } else {
    const term = new HeadlessTerminal(width, height + 1);
    const r = inkRender(tree, { stdin: term.stdin as unknown as NodeJS.ReadStream, stdout: term.stdout as unknown as NodeJS.WriteStream, debug: true, exitOnCtrlC: false, patchConsole: false });
    cleanup = () => {
      r.unmount();
      r.cleanup();
    };
    frames = term.frames;
    write = (k) => term.stdin.write(k);
  }
  /**
   * Until no new frame for a while and the engine idle: the router hands keys out one per turn,
   * React renders after, a key's command is a store transaction, and what a view shows is read
   * from the store by an effect of the frame before (a blank until the answer comes). Each round
   * first passes a check phase, where Ink hands out a lone Esc (setImmediate): on a busy machine
   * a 15 ms timer alone could fire before it, and the round end with the key unread.
   */
  const settle = async () => {
    for (let i = 0; i < 200; i++) {
      await engine.whenIdle();
      const n = frames.length;
      await new Promise((res) => setImmediate(res));
      await new Promise((res) => setTimeout(res, 15));
      // Through a check phase too: React runs a commit's effects (a view's read of the store) on
      // setImmediate, which on a busy machine can come after an expired timer.
      await new Promise((res) => setImmediate(res));
      if (frames.length === n && engine.isIdle) return;
    }
  };
  await settle();
  const screen = () => stripAnsi(frames[frames.length - 1] ?? '');
  const keys = async (...names: string[]) => {
    for (const k of names) {
      write(keySequence(k));
      await settle();
    }
  };
  return { screen, keys, flashes, opened, closed: () => closed };
}

/** Every line within the width, and the frame within the height. */
function fits(screen: string, width: number, height: number) {
  const lines = screen.split('\n');
  for (const l of lines) expect([...l].length, `"${l}"`).toBeLessThanOrEqual(width);
  expect(lines.length).toBeLessThanOrEqual(height);
}

describe('My Callbacks (seed 7, 2026-11-24T15:00Z, agent in New York)', () => {
  it.each([
    [80, 24],
    [100, 30],
    [120, 40],
  ])('lists the callbacks soonest first at %ix%i, every line within the width', async (width, rows) => {
    const e = await bookedWorld(3);
    const d = await mount(e, width, rows - 5);
    const s = d.screen();
    fits(s, width, rows - 5);
    expect(s).toContain('My Callbacks · 6 pending');
    expect(s).toContain('1/6');
    expect(s).toMatch(/› .*Web/);
    // Your time, then the contact's, each with its zone.
    const web = (await mine(e))[0];
    const when = whenText(e.zones, web.dueAt, 'America/New_York', web.contactTz, width >= 100);
    expect(when).toMatch(width >= 100 ? /^Tue 24 Nov 12:00 EST · \d\d:\d\d [A-Z]+$/ : /^24 Nov 12:00 EST · /);
    expect(s).toContain(when);
    for (const kind of width >= 100 ? ['Personal', 'Campaign', 'Genesys', 'Web'] : ['Pers', 'Camp', 'GMS', 'Web']) expect(s).toContain(kind);
    expect(s).toMatchSnapshot();
  });

  it('scrolls a long list with a position indicator, marking the row with a glyph (no colour)', async () => {
    const e = await bookedWorld(38);
    const d = await mount(e, 80, 19);
    expect(d.screen()).toContain('1/41');
    await d.keys('j', 'j', 'down');
    expect(d.screen()).toContain('4/41');
    await d.keys('end');
    const s = d.screen();
    expect(s).toContain('41/41');
    fits(s, 80, 19);
    const marked = s.split('\n').filter((l) => l.includes('› '));
    expect(marked).toHaveLength(1);
    await d.keys('k', 'home');
    expect(d.screen()).toContain('1/41');
  });

  it('x asks "Cancel the callback for NAME at TIME? y/n"; n keeps it, y cancels it and the row goes', async () => {
    const e = await bookedWorld(2);
    const d = await mount(e, 80, 19);
    await d.keys('end');
    const target = (await mine(e))[4];
    expect(target.kind).toBe('Genesys');
    await d.keys('x');
    expect(d.screen()).toContain(`Cancel the callback for ${target.contactName} at ${e.zones.format(target.dueAt, 'America/New_York', 'ccc d LLL HH:mm')}? y/n`);
    expect(d.screen()).toContain('y/n');
    await d.keys('n');
    expect(d.screen()).toContain('5 pending');
    await d.keys('x', 'y');
    const s = d.screen();
    expect(s).toContain('4 pending');
    expect(s).not.toContain('GMS');
    expect(s).toContain(`Cancelled the callback for ${target.contactName}`);
    expect(await gcallbackOf(e, target.id)).toMatchObject({ state: 'COMPLETED', reason: 'CANCELLED' });
    fits(s, 80, 19);
  });

  it('with nothing pending, Enter, r and x say so instead of acting', async () => {
    const engine = await demoEngine(7);
    await engine.login('a.lopez', 'Place_3101');
    const d = await mount(engine, 80, 20);
    expect(d.screen()).toContain('No pending callbacks');
    await d.keys('x', 'r');
    expect(d.flashes).toEqual(['no pending callback', 'no pending callback']);
    expect(d.screen()).not.toContain('Cancel the callback');
  });

  it('Enter opens the callback: both times, number, campaign, who booked it and the contact card', async () => {
    const e = await bookedWorld(1);
    const d = await mount(e, 100, 25);
    await d.keys('j');
    const c = (await mine(e))[1];
    expect(c.kind).toBe('Campaign');
    await d.keys('enter');
    const s = d.screen();
    expect(s).toContain(`Campaign callback · record ${c.id} · Scheduled`);
    expect(s).toContain('for you (America/New_York)');
    expect(s).toContain(`for the contact (${c.contactTz})`);
    expect(s).toContain('Policy Renewals');
    expect(s).toContain('Booked by a.lopez');
    expect(s).toContain(c.contactName);
    expect(s).toContain('Local time');
    fits(s, 100, 25);
    await d.keys('esc');
    expect(d.screen()).toContain('My Callbacks · 4 pending');
    await d.keys('esc');
    expect(d.closed()).toBe(1);
  });

  it('r opens the form of the callback\'s system: Reschedule Callback for OCS (leaving it books the move), the slot grid for Genesys, the web form for web callbacks', async () => {
    const e = await bookedWorld(1);
    const d = await mount(e, 100, 25);
    // The personal callback (third): the OCS Reschedule Callback form, on its current time.
    await d.keys('j', 'j');
    const personal = (await mine(e))[2];
    expect(personal.kind).toBe('Personal');
    await d.keys('r');
    expect(d.screen()).toContain('Reschedule Callback ·');
    expect(d.screen()).toContain('[x] Reschedule Callback');
    // A day later (the Date field, right arrow), then leaving the form books it.
    await d.keys('tab', 'right', 'esc');
    expect(d.screen()).toContain('Personal callback moved to');
    expect((await recordOf(e, Number(personal.id)))!.dialSchedAt).toBe(personal.dueAt + 86_400_000);
    expect((await mine(e)).at(-1)!.key).toBe(personal.key);
    // The Genesys booking (now last but one): the form in reschedule mode, on the slot grid.
    await d.keys('end', 'k', 'r');
    expect(d.screen()).toMatch(/▶\d\d:\d\d-\d\d:\d\d◀|\[\d\d:\d\d-\d\d:\d\d\]/);
    await d.keys('esc');
    expect(d.screen()).toContain('My Callbacks');
    expect(d.flashes.at(-1)).toBe('Callback not rescheduled');
    // The web callback waiting for its window: On, From, Till, To.
    await d.keys('home', 'r');
    expect(d.screen()).toContain('Reschedule Callback · times in');
    await d.keys('esc');
    expect(d.screen()).toContain('My Callbacks');
  });

  it('abbreviates deliberately: words shortened with a period, names to initials, never cut mid-word', () => {
    expect(abbreviate('Care Follow-up', 12)).toBe('Care Fol.-up');
    expect(abbreviate('Care Follow-up', 10)).toBe('Care F.-up');
    expect(abbreviate('Collections Q4', 10)).toBe('Col. Q4');
    expect(abbreviate('customer-care', 10)).toBe('cus.-care');
    expect(abbreviate('Policy Renewals', 10)).toBe('Pol. Ren.');
    expect(abbreviate('Care Follow-up', 3)).toBe('CFU');
    expect(fitName('Margaret Hamilton', 12)).toBe('M. Hamilton');
    expect(fitName('Margaret Hamilton', 9)).toBe('Hamilton');
  });
});
