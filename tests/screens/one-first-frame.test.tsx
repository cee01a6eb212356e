import { afterEach, describe, expect, it } from 'vitest';
import { HeadlessTerminal } from '../../src/runtime/headless-terminal.js';
import { renderDesk } from '../../src/runtime/render-desk.js';
import { ScriptedClock } from '../../src/runtime/clock-driver.js';
import { demoEngine } from '../helpers/world.js';

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

  it('in the main window is one frame, with the footer keys', async () => {
    const term = await start(true);
    expect(term.frames).toHaveLength(1);
    expect(term.frames[0].trimEnd().split('\n').pop()).toMatch(/\? help/);
  });
});
