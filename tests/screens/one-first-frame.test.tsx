import { afterEach, describe, expect, it } from 'vitest';
import { HeadlessTerminal } from '../../src/runtime/headless-terminal.js';
import { renderDesk } from '../../src/runtime/render-desk.js';
import { ScriptedClock } from '../../src/runtime/clock-driver.js';
import { demoEngine } from '../helpers/world.js';
import { settleDesk } from '../helpers/desk.js';
import { readFirst, type FirstReads } from '../../src/screens/desk-context.js';
import { firstReads } from '../../src/screens/first-reads.js';
import type { Engine } from '../../src/engine/engine.js';

// The views register their keymaps while the first frame renders, so the footer (drawn after
// them) has its keys in that frame: a start draws one frame, not a second one to add them.
describe('the first frame of a start', () => {
  let unmount = () => {};
  afterEach(() => unmount());

  const start = async (loggedIn: boolean) => {
    const engine = await demoEngine();
    if (loggedIn) await engine.login('a.lopez', 'Place_3101');
    const term = new HeadlessTerminal(100, 30);
    const app = renderDesk({ engine, agentTz: 'America/New_York', clock: new ScriptedClock(), defaultAgent: 'a.lopez', defaultPlace: 'Place_3101' }, false, term, true);
    unmount = () => app.unmount();
    return term;
  };

  it('on the login screen is one frame, with the footer keys', async () => {
    const term = await start(false);
    expect(term.frames).toHaveLength(1);
    expect(term.frames[0]).toMatch(/enter log in/);
  });

  // What the main window shows of the store (its messages, the unread count) is read before
  // its first frame by the desktop (runtime/desktop.ts): that frame is then the whole window.
  describe('with what it shows of the store read first', () => {
    const loggedIn = async () => {
      const engine = await demoEngine();
      await engine.login('a.lopez', 'Place_3101');
      const unread = await engine.read((q) => q.messages.unreadCount('a.lopez'));
      expect(unread).toBeGreaterThan(0);
      return { engine, unread };
    };
    const show = (engine: Engine, first: FirstReads | undefined) => {
      const term = new HeadlessTerminal(100, 30);
      const app = renderDesk({ engine, agentTz: 'America/New_York', clock: new ScriptedClock(), defaultAgent: 'a.lopez', defaultPlace: 'Place_3101', firstReads: first }, false, term, true);
      unmount = () => app.unmount();
      return term;
    };

    it('lists the messages and counts the unread in the first frame, and in every frame after', async () => {
      const { engine, unread } = await loggedIn();
      const term = show(engine, await readFirst(engine, firstReads(engine)));
      expect(term.frames[0]).toContain(`My Messages (${unread} unread)`);
      expect(term.frames[0]).toContain(`✉ ${unread}`);
      await settleDesk(term, engine);
      for (const f of term.frames) expect(f).toContain(`My Messages (${unread} unread)`);
    });

    it('reads them after the first frame when they were read before a change the engine took in since', async () => {
      const { engine, unread } = await loggedIn();
      const first = await readFirst(engine, firstReads(engine));
      const term = show(engine, { ...first, revision: first.revision - 1 });
      expect(term.frames[0]).toContain('My Messages (0 unread)');
      await settleDesk(term, engine);
      expect(term.screen()).toContain(`My Messages (${unread} unread)`);
    });
  });

  it('in the main window is one frame, with the footer keys', async () => {
    const term = await start(true);
    expect(term.frames).toHaveLength(1);
    expect(term.frames[0].trimEnd().split('\n').pop()).toMatch(/\? help/);
  });
});
