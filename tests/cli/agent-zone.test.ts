import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBin, tmpDir } from '../helpers/bin.js';
import { TmuxSession, binInTerminal } from '../helpers/tmux.js';
import { createEngine } from '../../src/engine/simulation.js';
import { createDemoWorld } from '../../src/engine/demo-world.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { agentZone } from '../../src/runtime/world-host.js';
import { T0, testZones } from '../helpers/world.js';

/** The agent's zone is kept with the state (issue 21): a restart without --tz keeps it. */

async function openAt(file: string) {
  const { store } = await SqliteStore.open(file, () => createDemoWorld(7, T0));
  return createEngine(store, { zones: testZones() });
}

describe("the agent's zone, kept with the state", () => {
  it('is the first --tz, or the system zone at the first start; a start without --tz uses it; --tz again changes it', async () => {
    const file = path.join(tmpDir('cbd-zone-'), 'state.db');
    const starts: [string | undefined, string, string][] = [
      // --tz, the system's zone, what the desktop shows
      [undefined, 'America/Chicago', 'America/Chicago'],
      [undefined, 'UTC', 'America/Chicago'],
      ['Asia/Kolkata', 'UTC', 'Asia/Kolkata'],
      [undefined, 'Europe/Paris', 'Asia/Kolkata'],
    ];
    for (const [given, system, shown] of starts) {
      const e = await openAt(file);
      expect(await agentZone(e, 'a.lopez', given, () => system)).toBe(shown);
      await e.store.close();
    }
    // Another agent of the same state keeps a zone of its own.
    const e = await openAt(file);
    const other = Object.keys(e.state.agents).find((a) => a !== 'a.lopez')!;
    expect(await agentZone(e, other, undefined, () => 'Pacific/Auckland')).toBe('Pacific/Auckland');
    expect(e.state.agents['a.lopez'].tz).toBe('Asia/Kolkata');
    await e.store.close();
  });
});

const term = new TmuxSession(`cbd-zone-${process.pid}`);
afterAll(() => term.kill());

describe('the real desktop restarted without --tz (tmux)', () => {
  for (const [columns, rows] of [
    [80, 24],
    [100, 30],
  ] as const) {
    it(`shows the clock in the zone kept with the state, not the machine's, at ${columns}x${rows}; an agent picked at the login form gets a zone of their own`, async () => {
      const state = path.join(tmpDir('cbd-zone-'), 'state.db');
      const start = (args: string, tz: string) => term.start(binInTerminal(`--state ${state} --now 2026-11-24T15:00:00Z --speed 0 ${args}`, { env: `TZ=${tz}` }), columns, rows);
      const quit = async (key: string) => {
        term.keys(key);
        await term.waitFor('Quit callback-desk?');
        term.keys('y');
        await term.waitFor('EXIT=0');
      };
      // --tz, the machine's zone, the clock on the login screen.
      const starts: [string, string, string][] = [
        ['--tz Asia/Kolkata', 'UTC', 'Tue 24 Nov 2026 20:30:00 IST'],
        // The machine's zone is UTC; the state keeps Kolkata.
        ['', 'UTC', 'Tue 24 Nov 2026 20:30:00 IST'],
        ['--tz Europe/Paris', 'UTC', 'Tue 24 Nov 2026 16:00:00 CET'],
        ['', 'America/Chicago', 'Tue 24 Nov 2026 16:00:00 CET'],
      ];
      for (const [args, tz, clock] of starts) {
        start(args, tz);
        expect(await term.waitFor('agent login')).toContain(clock);
        await quit('Escape');
      }

      // Another agent, picked at the login form of a start as a.lopez (kept in Paris): t.kim has
      // no zone kept, so the machine's (Chicago), on the form's clock and then the status bar.
      expect(runBin(['agents', 'add', 't.kim', '--name', 'Tae Kim', '--state', state]).status).toBe(0);
      start('', 'America/Chicago');
      await term.waitFor('agent login');
      term.keys('C-u', 't.kim');
      expect(await term.waitFor('Agent ID  t.kim')).toContain('Tue 24 Nov 2026 09:00:00 CST');
      term.keys('Enter');
      const desk = await term.waitFor('My Campaigns (4)');
      expect(desk.split('\n')[0]).toMatch(/Tae Kim .*Tue 24 Nov (2026 )?09:00:00 CST/);
      expect(desk).not.toContain('CET');
      await quit('q');
      // Kept with t.kim: their next start, on a machine in UTC, shows Chicago; a.lopez keeps Paris.
      start('--agent t.kim', 'UTC');
      expect((await term.waitFor('My Campaigns (4)')).split('\n')[0]).toMatch(/Tae Kim .*Tue 24 Nov (2026 )?09:00:00 CST/);
      await quit('q');
      start('', 'UTC');
      expect(await term.waitFor('agent login')).toContain('Tue 24 Nov 2026 16:00:00 CET');
      await quit('Escape');
    }, 180_000);
  }
});
