import { afterEach, describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { demoEngine } from '../helpers/world.js';
import { HeadlessTerminal } from '../../src/runtime/headless-terminal.js';
import { renderDesk } from '../../src/runtime/render-desk.js';
import { ScriptedClock } from '../../src/runtime/clock-driver.js';
import { preloadViews } from '../../src/screens/lazy-views.js';
import { pacedStdin, splitKeys } from '../../src/runtime/paced-stdin.js';
import { mountDesk } from '../helpers/desk.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('keys that arrive together (a held key, a burst from tmux)', () => {
  it('splits a read into keys, keeping a run of text and a bracketed paste whole', () => {
    expect(splitKeys('\x7f\x7f\x1b[D\x1b[Dab\rc\x1bOS\x1b[200~x\ry\x1b[201~\x03')).toEqual(['\x7f', '\x7f', '\x1b[D', '\x1b[D', 'ab', '\r', 'c', '\x1bOS', '\x1b[200~x\ry\x1b[201~', '\x03']);
  });

  it('applies every Backspace and arrow of one read to a text field, in order', async () => {
    await preloadViews();
    const engine = demoEngine(7);
    const term = new HeadlessTerminal(80, 24);
    const raw = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => raw, ref: () => raw, unref: () => raw }) as unknown as NodeJS.ReadStream & PassThrough;
    const app = renderDesk({ engine, agentTz: 'America/New_York', clock: new ScriptedClock(() => engine.now), defaultAgent: 'a.lopez', defaultPlace: 'P' }, false, { stdin: pacedStdin(raw), stdout: term.stdout }, true);
    cleanup = () => app.unmount();
    const search = async (input: string) => {
      raw.write(input);
      await new Promise((r) => setTimeout(r, 250));
      return term.screen().split('\n').find((l) => l.includes('Search:')) ?? '';
    };
    await search('\r');
    await search('4');
    expect(await search('garcia')).toContain('Search: garcia');
    expect(await search('\x7f\x7f\x7f')).toContain('Search: gar ');
    expect(await search('\x1b[D\x1b[DX')).toContain('Search: gXar');
  });

  it('takes Esc then q in one read as Esc, then q: help closes and the quit question opens', async () => {
    const d = await mountDesk(demoEngine(7));
    cleanup = d.unmount;
    await d.keys('enter', '?');
    expect(d.screen()).toContain('Keyboard help');
    await d.write('\x1bq');
    const s = await d.waitFor((screen) => screen.includes('Quit callback-desk?'), 'the quit question');
    expect(s).not.toContain('Keyboard help');
  });
});
