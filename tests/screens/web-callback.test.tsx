import { afterEach, describe, expect, it } from 'vitest';
import { createWebCallback } from '../../src/engine/web-callback.js';
import { clockFaceLines } from '../../src/screens/components/clock-face.js';
import { T0, demoEngine, allContacts, interactionOf } from '../helpers/world.js';
import { mountDesk } from '../helpers/desk.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

async function webReschedule() {
  const engine = await demoEngine(7);
  await engine.login('a.lopez', 'P');
  const contact = (await allContacts(engine)).find((c) => c.tz === 'America/New_York')!;
  const it = await engine.exclusive(async () => createWebCallback(engine, contact.id, { from: T0 + 60_000, till: T0 + 31 * 60_000, to: (await engine.chainOf(contact.id))[0].contact_info }, 'Please call'));
  await engine.advanceTo(T0 + 60_000);
  const d = await mountDesk(engine, { columns: 100, rows: 30 });
  cleanup = d.unmount;
  await d.keys('5');
  // The web callback is the latest activity: first in the list.
  await d.keys('enter', 'a', 'r', 'space');
  return { ...d, engine, it };
}

const inScreen = (screen: string, lines: string[]) => lines.filter((l) => l.trim()).every((l) => screen.includes(l.trim()));

describe('Web Callback reschedule view (100x30)', () => {
  it('draws a clock face that follows the From time', async () => {
    const d = await webReschedule();
    expect(d.screen()).toContain('From 10:01');
    expect(inScreen(d.screen(), clockFaceLines(10, 1))).toBe(true);
    await d.keys('tab', 'tab', 'pageup', 'pageup');
    for (let i = 0; i < 14; i++) await d.keys('up');
    expect(d.screen()).toContain('From 12:15');
    expect(inScreen(d.screen(), clockFaceLines(12, 15))).toBe(true);
    expect(inScreen(d.screen(), clockFaceLines(10, 1))).toBe(false);
    // Moving From keeps the duration.
    expect(d.screen()).toContain('duration 30 min');
  });

  it('refuses Till not after From on the form and keeps the view open', async () => {
    const d = await webReschedule();
    await d.keys('tab', 'tab', 'tab');
    for (const ch of '9:00') await d.keys(ch);
    await d.keys('enter');
    expect(d.screen()).toContain('Till (09:00 EST) must be after From (10:01 EST)');
    await d.keys('esc');
    expect(d.screen()).toContain('Fix it, or clear Reschedule Callback to close');
    expect((await interactionOf(d.engine, d.it.id))!.web!.pending).toBeNull();
  });

  it('closing keeps a valid change and the toolbar shows Rescheduled; Done commits it', async () => {
    const d = await webReschedule();
    await d.keys('tab');
    await d.type('tomorrow');
    await d.keys('enter', 'esc');
    expect(d.screen()).toContain('Rescheduled ✓');
    // The channel is muted so that no dialer call outranks the acknowledgement on the notice line.
    await d.engine.setChannel('voice', 'NotReady');
    await d.keys('d');
    expect((await interactionOf(d.engine, d.it.id))!.state).toBe('waiting');
    expect((await interactionOf(d.engine, d.it.id))!.web!.window.from).toBe(Date.parse('2026-11-25T15:01:00Z'));
  });
});
