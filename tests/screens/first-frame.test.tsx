import { afterEach, describe, expect, it } from 'vitest';
import { HeadlessTerminal } from '../../src/runtime/headless-terminal.js';
import { renderDesk } from '../../src/runtime/render-desk.js';
import { ScriptedClock } from '../../src/runtime/clock-driver.js';
import { preloadViews } from '../../src/screens/lazy-views.js';
import { demoEngine } from '../helpers/world.js';
import { settleDesk } from '../helpers/desk.js';

// Its own file: the views must not be loaded yet, as on the desktop's first frame (a test file
// gets fresh modules; every other screen test preloads them, as demo runs do).
describe("the main window's first frame on a start still logged in", () => {
  let unmount = () => {};
  afterEach(() => unmount());

  it("leaves the campaign's figures (a replay of the colleagues' dialing) until after it", async () => {
    const engine = await demoEngine();
    await engine.login('a.lopez', 'Place_3101');
    const term = new HeadlessTerminal(100, 30);
    const app = renderDesk({ engine, agentTz: 'America/New_York', clock: new ScriptedClock(), defaultAgent: 'a.lopez', defaultPlace: 'Place_3101' }, false, term, true);
    unmount = () => app.unmount();
    expect(term.frames[0]).toContain('My Campaigns');
    expect(term.frames[0]).toContain('↳ …');
    expect(term.frames[0]).not.toContain('↳ calls');
    await preloadViews();
    await settleDesk(term, engine);
    expect(term.screen()).toMatch(/↳ calls \d+ · live \d+ · abandon/);
  });
});
