import { afterEach, describe, expect, it } from 'vitest';
import { demoEngine } from '../helpers/world.js';
import { mountDesk } from '../helpers/desk.js';
import { KeyReader } from '../../src/screens/keys.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('keys that arrive together (a held key, a burst from tmux)', () => {
  it('splits a read into keys in order, keeping a bracketed paste whole', () => {
    expect(new KeyReader().push('\x7f\x7f\x1b[D\x1b[Dab\rc\x1bOS\x1b[200~x\ry\x1b[201~\x03')).toEqual([
      { name: 'backspace' },
      { name: 'backspace' },
      { name: 'left' },
      { name: 'left' },
      { name: 'a' },
      { name: 'b' },
      { name: 'enter' },
      { name: 'c' },
      { name: 'f4' },
      { name: 'paste', text: 'x\ry' },
      { name: 'ctrl+c' },
    ]);
  });

  it('applies every Backspace and arrow of one read to a text field, in order', async () => {
    const d = await mountDesk(await demoEngine(7));
    cleanup = d.unmount;
    const searchLine = (s: string) => s.split('\n').find((l) => l.includes('Search:')) ?? '';
    const search = async (input: string, expected: string) => {
      await d.write(input);
      return searchLine(await d.waitFor((s) => searchLine(s).includes(expected), `"${expected}" after ${JSON.stringify(input)}`));
    };
    await d.write('\r');
    await d.write('4');
    expect(await search('garcia', 'Search: garcia')).toContain('Search: garcia');
    expect(await search('\x7f\x7f\x7f', 'Search: gar ')).toContain('Search: gar ');
    expect(await search('\x1b[D\x1b[DX', 'Search: gXar')).toContain('Search: gXar');
  });

  it('takes Esc then q in one read as Esc, then q: help closes and the quit question opens', async () => {
    const d = await mountDesk(await demoEngine(7));
    cleanup = d.unmount;
    await d.keys('enter', '?');
    expect(d.screen()).toContain('Keyboard help');
    await d.write('\x1bq');
    const s = await d.waitFor((screen) => screen.includes('Quit callback-desk?'), 'the quit question');
    expect(s).not.toContain('Keyboard help');
  });
});
