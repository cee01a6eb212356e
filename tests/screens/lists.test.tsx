import { afterEach, describe, expect, it } from 'vitest';
import { callbackCallOnDesk, demoEngine } from '../helpers/world.js';
import { chainOf, contactOf, mountDesk } from '../helpers/desk.js';
import { layoutProblems } from '../helpers/layout.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

/** Team Communicator -> garcia -> Action menu, at 100x30 on seed 7. */
async function actionMenu(size = { columns: 100, rows: 30 }) {
  const engine = await demoEngine(7);
  const d = await mountDesk(engine, size);
  cleanup = d.unmount;
  await d.keys('enter', '4');
  await d.type('garcia');
  await d.keys('enter');
  return { ...d, engine };
}

describe('Team Communicator at the desk (a real clock)', () => {
  const realClock = { paused: true, speed: 0, realtime: true, togglePause() {}, subscribe: () => () => {}, wallNow: () => performance.now() };

  it('draws each key at once and searches after a pause in typing; Enter right after typing acts on the text on screen', async () => {
    const engine = await demoEngine(7);
    const d = await mountDesk(engine, { columns: 100, rows: 30, clock: realClock });
    cleanup = d.unmount;
    await d.keys('enter', '4');
    let searches = 0;
    // The store's own reader (one object on SQLite, in and out of a transaction): its name search counted.
    const contacts = await engine.read(async (q) => q.contacts);
    const search = contacts.searchByName.bind(contacts);
    contacts.searchByName = (q, n) => (searches++, search(q, n));
    // Typed in one read, as a fast typist's keys arrive: with a key at a time and a settle after
    // each, a busy machine could take the 150 ms pause between two of them and search.
    await d.write('garc');
    expect(d.screen()).toMatch(/Search: garc +…/);
    expect(searches).toBe(0);
    await d.waitFor((s) => /Search: garc +\d+ found/.test(s), 'the search after the pause');
    expect(d.screen()).toMatch(/Search: garc +\d+ found/);
    expect(d.screen()).toContain('Garcia');
    expect(searches).toBe(1);
    // A whole name, then Enter at once: the Action menu is the typed name's, not the last search's.
    await d.keys(...Array(4).fill('backspace'));
    await d.type('okafor');
    await d.keys('enter');
    expect(d.screen()).toContain('› New Callback');
    expect(d.screen()).toMatch(/Okafor/);
  });
});

describe('My Campaigns', () => {
  it('keeps the campaign selected while a record it gave is open, and after', async () => {
    const engine = await demoEngine(7);
    const d = await mountDesk(engine, { columns: 100, rows: 30 });
    cleanup = d.unmount;
    await d.keys('enter', '2', 'down', 'down', 'down');
    expect(d.screen()).toMatch(/› Care Follow-up/);
    await d.keys('g');
    expect(engine.openInteractions()).toHaveLength(1);
    await d.keys('esc');
    expect(d.screen()).toMatch(/› Care Follow-up/);
  });
});

describe("Team Communicator's search field", () => {
  it('leaves the keys it types out of the footer while it has the focus', async () => {
    const d = await mountDesk(await demoEngine(7), { columns: 100, rows: 30 });
    cleanup = d.unmount;
    await d.keys('enter', '4');
    const footer = () => d.screen().split('\n').filter((l) => l.includes('? help')).at(-1) ?? '';
    expect(footer()).toContain('down results');
    expect(footer()).not.toMatch(/\br ready\b|\bn not ready\b|\b6 callbacks\b/);
    await d.type('rn6');
    expect(d.screen()).toContain('Search: rn6');
    await d.keys('down');
    expect(footer()).toMatch(/\br ready\b/);
  });
});

describe('lists and menus (seed 7, 2026-11-24T15:00Z)', () => {
  it('chooses in the Action menu with ↓ and Enter, or by number', async () => {
    const d = await actionMenu();
    expect(d.screen()).toContain('› New Callback');
    await d.keys('down');
    expect(d.screen()).toContain('› View contact');
    await d.keys('enter');
    expect(d.screen()).toContain('Local time');
    await d.keys('esc', '4', 'enter', '2');
    expect(d.screen()).toContain('Local time');
  });

  it("opens the Reschedule view's Phone as a drop-down of the chain's numbers", async () => {
    const engine = await demoEngine(7);
    const { rec } = await callbackCallOnDesk(engine);
    const d = await mountDesk(engine, { columns: 100, rows: 30 });
    cleanup = d.unmount;
    await d.keys('5', 'enter', 'r', 'shift+tab', 'shift+tab');
    expect(d.screen()).toMatch(/› Phone +‹ 1\/2 .* ›/);
    await d.keys('enter');
    const chain = await chainOf(engine, rec.contact_id);
    expect(d.screen()).toContain(`› ${chain[0].contact_info.replace(/^\+1(\d{3})(\d{3})(\d{4})$/, '+1 $1 $2 $3')}`);
    expect(d.screen()).toContain('choose  esc close');
    await d.keys('down', 'enter');
    expect(d.screen()).toMatch(/› Phone +‹ 2\/2 .* ›/);
    expect(layoutProblems(d.term)).toEqual([]);
  });

  it('picks the callback type from its list, and a time zone from the matches', async () => {
    const d = await actionMenu({ columns: 80, rows: 24 });
    await d.keys('enter');
    expect(d.screen()).toContain('› Type       ‹ Scheduled ›');
    await d.keys('enter');
    expect(d.screen()).toContain('Delayed (Agent Preview)');
    expect(layoutProblems(d.term)).toEqual([]);
    await d.keys('1');
    expect(d.screen()).toContain('‹ Immediate ›');
    expect(d.screen()).toContain('Immediate: queued now');
    await d.keys('tab', 'tab');
    await d.type('kolk');
    expect(d.screen()).toContain('Asia/Kolkata');
    await d.keys('down', 'enter');
    expect(d.screen()).toMatch(/Time zone +Asia\/Kolkata/);
  });

  it('updates the customer record in text fields with a cursor, and saves it', async () => {
    const engine = await demoEngine(7);
    const d = await mountDesk(engine, { columns: 100, rows: 30 });
    cleanup = d.unmount;
    await d.keys('enter', 'n', '2', 'down', 'down', 'down', 'enter', 'u');
    expect(d.screen()).toContain('Update customer record');
    const contactId = engine.openInteractions()[0].contactId!;
    const [first] = Object.keys((await contactOf(engine, contactId))!.fields);
    const before = (await contactOf(engine, contactId))!.fields[first];
    // ← moves the cursor inside the value: the typed text goes before its last character.
    await d.keys('left');
    await d.type('Z');
    await d.keys('enter');
    expect((await contactOf(engine, contactId))!.fields[first]).toBe(`${before.slice(0, -1)}Z${before.slice(-1)}`);
    expect(d.screen()).toContain('customer record saved');
  });
});

describe('keys that arrive in one read (a held key, tmux send-keys), 100x30, seed 7', () => {
  it('empties a field of Update customer record with Ctrl+U, and saves what is typed after', async () => {
    const engine = await demoEngine(7);
    const { rec } = await callbackCallOnDesk(engine, 'collections-q4');
    const d = await mountDesk(engine, { columns: 100, rows: 30 });
    cleanup = d.unmount;
    await d.keys('5', 'enter', 'u');
    const contactId = rec.contact_id;
    expect(Object.keys((await contactOf(engine, contactId))!.fields)).toEqual(['Account', 'Balance', 'Due Date']);
    await d.keys('down');
    expect(d.screen()).toMatch(/› Balance +\d+\.\d\d/);
    await d.keys('ctrl+u');
    expect(d.screen()).toMatch(/› Balance +\S* *\(changed\)/);
    await d.type('100.00');
    expect(d.screen()).toMatch(/› Balance +100\.00 +\(changed\)/);
    await d.keys('enter');
    expect((await contactOf(engine, contactId))!.fields.Balance).toBe('100.00');
  });

  it('applies every key of a burst to a list in order: ↓ then Enter in one read choose the second action', async () => {
    const d = await actionMenu();
    expect(d.screen()).toContain('› New Callback');
    await d.write('\x1b[B\r');
    await d.waitFor((s) => s.includes('Local time'), 'View contact');
  });

  it('applies ↓ ↓ Enter in one read to an open drop-down', async () => {
    const d = await actionMenu({ columns: 80, rows: 24 });
    await d.keys('enter', 'enter');
    expect(d.screen()).toContain('Delayed (Agent Preview)');
    await d.write('\x1b[B\x1b[B\r');
    await d.waitFor((s) => s.includes('‹ Immediate ›'), 'the third callback type');
  });

  it('types a whole word and a held Backspace of one read into a field of Update customer record', async () => {
    const engine = await demoEngine(7);
    await callbackCallOnDesk(engine, 'collections-q4');
    const d = await mountDesk(engine, { columns: 100, rows: 30 });
    cleanup = d.unmount;
    await d.keys('5', 'enter', 'u');
    await d.write('\x15AC-1234567\x7f\x7f\x7f');
    await d.waitFor((s) => /› Account +AC-1234 +\(changed\)/.test(s), 'AC-1234 in Account');
  });
});
