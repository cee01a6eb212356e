import xterm from '@xterm/headless';
import { afterEach, describe, expect, it } from 'vitest';
import type { SqliteStore } from '../../src/store/sqlite-store.js';
import { demoEngine } from '../helpers/world.js';
import { contactOf, mountDesk } from '../helpers/desk.js';
import { layoutProblems } from '../helpers/layout.js';
import { HOSTILE_FIELD, SHOWN_FIELD, SHOWN_OSC0, SHOWN_OSC52, poison, rawControls } from '../helpers/hostile.js';

const { Terminal } = xterm;

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

/** A screen as a terminal shows it: its lines, and whether anything set the title or the clipboard. */
async function emulate(frames: string[], cols: number, rows: number) {
  const t = new Terminal({ cols, rows, allowProposedApi: true });
  const titles: string[] = [];
  const clipboard: string[] = [];
  t.onTitleChange((s) => titles.push(s));
  t.parser.registerOscHandler(52, (d) => (clipboard.push(d), true));
  for (const f of frames) await new Promise<void>((r) => t.write(`\x1b[H\x1b[2J${f.split('\n').join('\r\n')}`, r));
  const lines: string[] = [];
  for (let y = 0; y < rows; y++) lines.push(t.buffer.active.getLine(y)!.translateToString(true));
  t.dispose();
  return { lines, titles, clipboard };
}

/** Where the box borders are on each line: what must not move when data holds escapes. */
const borders = (lines: string[]) => lines.map((l) => [...l].map((ch, x) => (/[│║┌┐└┘╔╗╚╝─═]/.test(ch) ? `${x}${ch}` : '')).filter(Boolean).join(' '));

const STEPS: [string, string[], string?][] = [
  ['Team Communicator search results', ['enter', '4', 'g', 'a', 'r', 'c', 'i', 'a']],
  ['the Action menu', ['enter']],
  ['New Callback', ['enter']],
  ['View contact', ['esc', 'esc', '4', 'enter', 'down', 'enter']],
  ['the interaction window', ['esc', 'esc', '2', 'down', 'down', 'down', 'enter']],
  ['Update customer record', ['u']],
  ['My Messages', ['esc', 'esc', '3']],
  ['a message opened', ['enter']],
];

/** Walks the screens of STEPS at 80x24; every frame drawn, and each screen as a terminal shows it. */
async function walk(hostile: boolean) {
  const engine = await demoEngine(7);
  const db = (engine.store as SqliteStore).db;
  if (hostile) poison(db, { contacts: true });
  const d = await mountDesk(engine, { columns: 80, rows: 24 });
  cleanup = d.unmount;
  const screens: { name: string; lines: string[]; problems: string[] }[] = [];
  for (const [name, keys] of STEPS) {
    // The messages the login brought are there now: they take the escapes too.
    if (hostile && name === 'My Messages') poison(db, { messages: true });
    await d.keys(...keys);
    const { lines } = await emulate([d.term.lastFrame()], 80, 24);
    screens.push({ name, lines, problems: layoutProblems(d.term) });
  }
  const all = await emulate(d.term.frames, 80, 24);
  d.unmount();
  cleanup = undefined;
  return { screens, frames: d.term.frames, titles: all.titles, clipboard: all.clipboard, engine };
}

describe('data holding terminal escapes, on every screen that shows it (80x24)', () => {
  it('is drawn visibly, never written raw: no title, no clipboard, no colour from it; borders where they are with plain data', async () => {
    const plain = await walk(false);
    const hostile = await walk(true);
    // Nothing from the data reached the terminal as a control: every byte left is Ink's own styling.
    expect(hostile.frames.flatMap(rawControls)).toEqual([]);
    expect(hostile.titles).toEqual([]);
    expect(hostile.clipboard).toEqual([]);
    const shown = Object.fromEntries(hostile.screens.map((s) => [s.name, s.lines.join('\n')]));
    // The name is on each screen that shows the contact, as its visible signs (cut to the room there is).
    for (const name of ['Team Communicator search results', 'the Action menu', 'New Callback', 'View contact', 'the interaction window']) {
      expect(shown[name], name).toContain(SHOWN_OSC52);
    }
    for (const name of ['the Action menu', 'View contact', 'the interaction window']) expect(shown[name], name).toContain(SHOWN_OSC0);
    // The custom field's colour, CR, CSI and DEL as signs.
    for (const name of ['View contact', 'the interaction window', 'Update customer record', 'a message opened']) expect(shown[name], name).toContain(`␛[31m${SHOWN_FIELD}`);
    expect(shown['My Messages']).toContain(`Hi${SHOWN_OSC0}␍␦2J`);
    // Box borders line up exactly as with plain data, and the layout holds.
    for (const [i, s] of hostile.screens.entries()) {
      expect(borders(s.lines), s.name).toEqual(borders(plain.screens[i].lines));
      expect(s.problems, s.name).toEqual([]);
    }
  }, 60_000);

  it('keeps the stored value exact: an edit of a field holding escapes saves the escapes it did not touch', async () => {
    const engine = await demoEngine(7);
    poison((engine.store as SqliteStore).db, { contacts: true });
    const d = await mountDesk(engine, { columns: 100, rows: 30 });
    cleanup = d.unmount;
    await d.keys('enter', '2', 'down', 'down', 'down', 'enter', 'u');
    const contactId = engine.openInteractions()[0].contactId!;
    const [first] = Object.keys((await contactOf(engine, contactId))!.fields);
    const before = (await contactOf(engine, contactId))!.fields[first];
    expect(before.endsWith(HOSTILE_FIELD)).toBe(true);
    await d.type('Z');
    await d.keys('enter');
    expect(d.screen()).toContain('customer record saved');
    // The field edits the stored value itself (text-field-state.ts): ESC, the CR, the C1 CSI and
    // DEL are kept as they were, drawn as signs; only typed or pasted line breaks become spaces.
    expect((await contactOf(engine, contactId))!.fields[first]).toBe(`${before}Z`);
  });
});
