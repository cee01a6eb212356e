import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, tmpDir } from '../helpers/bin.js';
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

const session = `cbd-zone-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
afterAll(() => {
  spawnSync('tmux', ['kill-session', '-t', session]);
});

async function screenWith(text: string, timeoutMs = 15_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  let s = '';
  while (Date.now() < end) {
    s = tmux('capture-pane', '-p', '-t', session);
    if (s.includes(text)) return s;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`"${text}" never appeared; the screen was:\n${s}`);
}

describe.runIf(hasTmux)('the real desktop restarted without --tz (tmux)', () => {
  for (const [columns, rows] of [
    [80, 24],
    [100, 30],
  ] as const) {
    it(`shows the clock in the zone kept with the state, not the machine's, at ${columns}x${rows}`, async () => {
      const state = path.join(tmpDir('cbd-zone-'), 'state.db');
      const start = (args: string, tz: string) => {
        spawnSync('tmux', ['kill-session', '-t', session]);
        const cmd = `TZ=${tz} CI=false NO_COLOR=1 ${process.execPath} ${BIN} --state ${state} --now 2026-11-24T15:00:00Z --speed 0 ${args}; echo EXIT=$?; sleep 60`;
        tmux('new-session', '-d', '-s', session, '-x', String(columns), '-y', String(rows), cmd);
      };
      const quit = async () => {
        tmux('send-keys', '-t', session, 'Escape');
        await screenWith('Quit callback-desk?');
        tmux('send-keys', '-t', session, 'y');
        await screenWith('EXIT=0');
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
        expect(await screenWith('agent login')).toContain(clock);
        await quit();
      }
    }, 90_000);
  }
});
