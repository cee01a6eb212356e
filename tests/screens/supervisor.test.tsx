import { afterEach, describe, expect, it } from 'vitest';
import { HeadlessTerminal } from '../../src/runtime/headless-terminal.js';
import { ScriptedClock } from '../../src/runtime/clock-driver.js';
import { renderSupervisor } from '../../src/runtime/supervisor.js';
import type { LeaseSource } from '../../src/screens/supervisor/supervisor-app.js';
import type { Engine } from '../../src/engine/engine.js';
import { DialingMode } from '../../src/engine/domain.js';
import { demoEngine } from '../helpers/world.js';
import { settleDesk } from '../helpers/desk.js';

/** The supervisor's screen in a headless terminal, on the demo world, with no host (a lease source that says so). */
async function mountSupervisor(engine: Engine, columns = 80, rows = 24) {
  const term = new HeadlessTerminal(columns, rows);
  const lease: LeaseSource = { current: () => noHost, subscribe: () => () => {} };
  const instance = renderSupervisor({ engine, agentTz: 'America/New_York', clock: new ScriptedClock(() => engine.now), defaultAgent: '', defaultPlace: '' }, lease, false, term, true);
  const settle = () => settleDesk(term, engine);
  await settle();
  const keys = async (...names: string[]) => {
    for (const n of names) {
      term.press(n);
      await settle();
    }
  };
  mounted.push(() => {
    instance.unmount();
    instance.cleanup();
  });
  return { term, keys, screen: () => term.screen() };
}

const noHost = { lease: null };
const mounted: (() => void)[] = [];
afterEach(() => {
  for (const m of mounted.splice(0)) m();
});

describe("the supervisor's screen", () => {
  it('shows campaigns, agents, callbacks due and logouts at 80x24 without colour, and says no host runs', async () => {
    const e = await demoEngine(5);
    await e.login('a.lopez', 'P');
    const s = await mountSupervisor(e);
    const screen = s.screen();
    const lines = screen.split('\n');
    expect(lines.length).toBeLessThanOrEqual(24);
    expect(screen).toContain('Supervisor · Tue 24 Nov 10:00:00');
    expect(screen).toContain('no host: the clock stands still');
    for (const name of ['Collections', 'Policy Ren', 'Winter App', 'Care Follo']) expect(screen).toContain(name);
    expect(screen).toMatch(/a\.lopez\s+Ana Lo\S*\s+(Ready|NotReady)/);
    expect(screen).toContain('Callbacks due, next hour');
    expect(screen).toContain('none pending');
    expect(lines.at(-1)).toMatch(/s start\/stop\s+m mode\s+\+\/- target.*\? help/);
  });

  it('starts and stops, changes the mode and the abandon target, each through the campaign commands', async () => {
    const e = await demoEngine(5);
    const s = await mountSupervisor(e);
    const ids = Object.keys(e.state.campaigns).sort();
    const at = ids.indexOf('policy-renewals');
    await s.keys(...Array<string>(at).fill('down'));
    await s.keys('s');
    expect(e.state.campaigns['policy-renewals'].status).toBe('Stopped');
    expect(s.screen()).toContain('✓ Policy Renewals: Stopped');
    await s.keys('m');
    expect(e.state.campaigns['policy-renewals'].dialingMode).toBe(DialingMode.Predictive);
    await s.keys('+', '+');
    expect(e.state.campaigns['policy-renewals'].targetAbandonRate).toBe(0.04);
    await s.keys('-');
    expect(e.state.campaigns['policy-renewals'].targetAbandonRate).toBe(0.035);
    expect(s.screen()).toMatch(/Policy Ren\S*\s+Stopped\s+Predictive.*\/3\.5%/);
    await s.keys('s');
    expect(e.state.campaigns['policy-renewals'].status).toBe('Started');
  });

  it("answers a key the campaign's state refuses with the command's own reason, changing nothing", async () => {
    const e = await demoEngine(5);
    const s = await mountSupervisor(e);
    const at = Object.keys(e.state.campaigns).sort().indexOf('collections-q4');
    await s.keys(...Array<string>(at).fill('down'));
    await s.keys('l');
    expect(e.state.campaigns['collections-q4'].status).toBe('Started');
    expect(s.screen()).toContain('✕ Collections Q4 is Started; it can go to Stopped');
    await s.keys('?');
    const help = s.screen().replace(/[║│]/g, ' ').replace(/\s+/g, ' ');
    expect(help).toContain('(Load the campaign, or unload it when loaded or stopped: not now, Collections Q4 is Started; it can go to Stopped)');
  });

  it('moves the focus to the agents and scrolls them at 100x30', async () => {
    const e = await demoEngine(5);
    const s = await mountSupervisor(e, 100, 30);
    await s.keys('tab');
    expect(s.screen()).toContain('▸ Agents');
    const agents = Object.keys(e.state.agents).sort();
    await s.keys(...Array<string>(agents.length - 1).fill('down'));
    expect(s.screen()).toMatch(new RegExp(`› ${agents.at(-1)!.replace('.', '\\.')}`));
  });
});
