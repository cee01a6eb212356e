import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/bin.js';
import { agentsOf, binOk, placeOf, teamState } from './team.js';
import { teamSuite } from './suite.js';

/**
 * Issue 20, 1: many desktops on one state, each logged in as a different agent; the same agent
 * a second time is refused, naming where it is logged in (the desk's own path, and the real bin
 * in a pseudo-terminal); the refusal lasts only while that session does.
 */

const { backends, team } = teamSuite('cbd-team-logins-');

/** The real desktop in a pseudo-terminal (script(1)): what it prints before it would draw. */
function desktopInATerminal(state: string, agent: string): { output: string; status: number | null } {
  const cmd = [process.execPath, BIN, '--state', state, '--agent', agent].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', CI: 'false', TERM: 'xterm-256color' }, timeout: 60_000, stdio: ['pipe', 'pipe', 'pipe'], input: '' });
  return { output: `${r.stdout}${r.stderr}`.replace(/\r/g, ''), status: r.status };
}

describe.each(backends)('a team on one state ($name)', (backend) => {
  it('three desktops log in as three agents; the same agent again is refused, naming where it is logged in', { timeout: 120_000 }, async () => {
    const state = await teamState(backend, 'logins');
    const host = team().host(state);
    await host.line(/^hosting/);
    const [a, b, c] = await team().loggedIn(state, ['a.lopez', 'b.okafor', 'c.tanaka']);

    // Each is a person at a desktop now, at its own place, and says it is alive.
    const roster = JSON.parse(await binOk(['agents', 'list', '--state', state, '--json'])) as { id: string; state: string; kind: string; place: string | null }[];
    for (const d of [a, b, c]) {
      const row = roster.find((r) => r.id === d.agent)!;
      expect(row.kind).toBe('real');
      expect(row.place).toBe(placeOf(d.agent));
      expect(row.state).not.toBe('LoggedOut');
    }
    expect(roster.filter((r) => r.kind === 'simulated').map((r) => r.id)).not.toContain('b.okafor');
    const beats = (await backend.rows(state, { tables: ['agent_heartbeat'] })).agent_heartbeat as { agent_id: string; pid: number | string }[];
    expect(Object.fromEntries(beats.map((r) => [r.agent_id, Number(r.pid)]))).toEqual({ 'a.lopez': a.pid, 'b.okafor': b.pid, 'c.tanaka': c.pid });

    // b.okafor a second time: refused, naming the place and the desktop.
    const where = new RegExp(`b\\.okafor is logged in at ${placeOf('b.okafor')} \\(the desktop of pid ${b.pid} on ${os.hostname()}\\)`);
    await expect(team().deskStarted(state, 'b.okafor')).rejects.toThrow(where);
    const real = desktopInATerminal(state, 'b.okafor');
    expect(real.output).toMatch(where);
    expect(real.status).toBe(2);
    // The refusal left b's session where it was.
    expect((await agentsOf(backend, state)).get('b.okafor')!.session!.place).toBe(placeOf('b.okafor'));

    // Once b logs out there, b logs in at another desktop.
    expect(await b.logout()).toEqual({ ok: true });
    const again = await team().deskStarted(state, 'b.okafor');
    expect(await again.login('Place_again')).toEqual({ ok: true });
    expect((await agentsOf(backend, state)).get('b.okafor')!.session!.place).toBe('Place_again');
    await team().stop();
  });
});
