import { afterEach, describe, expect, it } from 'vitest';
import { demoEngine } from '../helpers/world.js';
import { mountDesk } from '../helpers/desk.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

/** Seed 7, voice only: the group dialer has a live call ringing for the agent at +44 s (15 s left). */
async function deskWithCallRinging(columns = 100, rows = 30) {
  const engine = await demoEngine(7);
  const d = await mountDesk(engine, { columns, rows });
  cleanup = d.unmount;
  await d.keys('enter', '1', 'down', 'enter', 'down', 'enter', 'down', 'enter');
  await engine.advanceBy(44_000);
  await d.settle();
  expect(engine.state.dialer.inFlight).toHaveLength(1);
  return { engine, ...d };
}

/** The sizes the desktop's snags were seen at. */
const SIZES = [
  [80, 24],
  [100, 30],
] as const;

const statusLine = (s: string) => s.split('\n')[0];

describe('negotiated logout on screen (100x30, seed 7)', () => {
  it('counts down in the system message, then in the status bar and My Messages, on the one clock', async () => {
    const d = await deskWithCallRinging();
    await d.keys('L');
    expect(d.screen()).toContain('System message · Awaiting logoff authorization');
    expect(d.screen()).toMatchSnapshot('system message at 0:15');
    for (const [advance, left] of [
      [3000, '0:12'],
      [4000, '0:08'],
    ] as const) {
      await d.engine.advanceBy(advance);
      await d.settle();
      expect(d.screen()).toContain(`⏳ logout in ${left}`);
      expect(statusLine(d.screen())).toContain(`logout ⏳ ${left}`);
    }
    expect(d.screen()).toMatchSnapshot('system message at 0:08');
    await d.keys('esc', '3');
    expect(d.screen()).toContain('⏳ 0:08 Awaiting logoff');
    expect(d.screen()).toMatchSnapshot('My Messages at 0:08');
  });

  it('delivers a call that connects during the countdown, pauses, and resumes after Done', async () => {
    const d = await deskWithCallRinging();
    await d.keys('L', 'esc');
    await d.engine.advanceBy(16_000);
    await d.settle();
    expect(d.screen()).toContain('Connected');
    expect(statusLine(d.screen())).toContain('+call');
    await d.engine.advanceBy(60_000);
    await d.settle();
    expect(d.engine.agentId).toBe('a.lopez');
    await d.keys('5', 'enter', 'e', 'd');
    await d.engine.advanceBy(1000);
    await d.settle();
    expect(statusLine(d.screen())).toContain('logout ✓ authorized');
    expect(d.screen()).toContain('Logout authorized');
    await d.engine.advanceBy(3000);
    await d.settle();
    expect(d.screen()).toContain('agent login');
  });

  it('asks before logging out with an interaction open, and warns when quitting during the countdown', async () => {
    const d = await deskWithCallRinging();
    await d.engine.advanceBy(16_000);
    await d.settle();
    await d.keys('L');
    expect(d.screen()).toContain('1 interaction is still open');
    await d.keys('y');
    expect(d.screen()).toContain('Awaiting logoff authorization');
    await d.keys('esc', 'q');
    expect(d.screen()).toContain('A negotiated logout is in progress');
    await d.keys('n');
  });

  it('logs out of the voice channel from My Channels the same way', async () => {
    const d = await deskWithCallRinging();
    await d.keys('1', 'up', 'up', 'up', 'o');
    expect(d.screen()).toContain('Awaiting logoff authorization');
    expect(d.engine.myLogout?.via).toBe('voice');
  });
});

describe('the status bar during a negotiated logout waiting for a call (issue 21)', () => {
  for (const [columns, rows] of SIZES) {
    it(`fits at ${columns}x${rows}: the state, the countdown with +call and the unread count, nothing cut`, async () => {
      const d = await deskWithCallRinging(columns, rows);
      await d.keys('L', 'esc');
      await d.engine.advanceBy(16_000);
      await d.settle();
      const bar = statusLine(d.screen());
      expect(bar).toContain('☎ Talking');
      expect(bar).toMatch(/logout ⏳ \d+:\d\d\+call/);
      expect(bar).toMatch(/✉ \d+/);
      expect(bar).not.toContain('…');
      expect(bar).toContain('a.lopez');
      // The clock stays whole at the right edge.
      expect(bar).toMatch(/\d\d:\d\d:\d\d EST( ⏸)?\s*$/);
    });
  }
});

describe('My Channels says what the voice channel does (issue 21)', () => {
  for (const [columns, rows] of SIZES) {
    it(`shows ☎ Talking on voice while the status bar does, at ${columns}x${rows}, and Ready again after Done`, async () => {
      const d = await deskWithCallRinging(columns, rows);
      const engine = d.engine;
      await engine.advanceBy(16_000);
      await d.settle();
      expect(statusLine(d.screen())).toContain('☎ Talking');
      const voice = () => d.screen().split('\n').find((l) => /voice /.test(l) && /[║│]/.test(l[0]))!;
      expect(voice()).toContain('voice ☎ Talking');
      expect(voice()).not.toContain('Ready');
      // Not Ready for after the call: still talking, and it says what comes next.
      await d.keys('1', 'up', 'up', 'up', 'enter');
      expect(voice()).toMatch(/voice ☎ Talking (○|· Not Ready)/);
      await d.keys('enter');
      expect(voice()).toContain('voice ☎ Talking');
      await d.keys('5', 'enter', 'e', 'esc');
      expect(voice()).toContain('voice ◐ Wrap-up');
      await d.keys('5', 'enter', 'd');
      await engine.advanceBy(1000);
      await d.settle();
      expect(voice()).toContain('voice ● Ready');
    });
  }
});
