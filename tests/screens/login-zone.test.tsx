import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/engine.js';
import { addAgent, defaultGroup } from '../../src/engine/team.js';
import { agentZones, type ZoneChoice } from '../../src/runtime/desktop.js';
import { demoEngine } from '../helpers/world.js';
import { mountDesk } from '../helpers/desk.js';

/**
 * An agent picked at the login form works in their own zone (issue 21): the one kept with them,
 * else --tz or the machine's, kept at login. It used to be the --agent one's zone, on the login
 * form's clock, the status bar and every time the desk shows. At the sizes of the walk.
 */

let unmount: (() => void) | undefined;
afterEach(() => {
  unmount?.();
  unmount = undefined;
});

/** The demo world at T0 (Tue 24 Nov 2026 15:00 UTC), a.lopez kept in Chicago, t.kim in Kolkata, u.park with no zone kept. */
async function world(): Promise<Engine> {
  const e = await demoEngine(7);
  for (const [id, name] of [
    ['t.kim', 'Tae Kim'],
    ['u.park', 'Uma Park'],
  ]) {
    expect((await addAgent(e, { id, name, groupId: defaultGroup(e)! })).ok).toBe(true);
  }
  expect((await e.setAgentZone('a.lopez', 'America/Chicago')).ok).toBe(true);
  expect((await e.setAgentZone('t.kim', 'Asia/Kolkata')).ok).toBe(true);
  return e;
}

/** The desktop as runDesktop makes it for a start as a.lopez (the login form's agent): its host's zoneOf and login. */
async function desk(e: Engine, columns: number, rows: number, choice: ZoneChoice) {
  const host = agentZones(e, choice, (agentId, place) => e.login(agentId, place));
  const d = await mountDesk(e, { columns, rows, agentTz: host.zoneOf!('a.lopez'), host });
  unmount = d.unmount;
  return d;
}

/** Types `id` over the agent of the login form and logs in: the form as it was, and the status bar after. */
async function pick(d: Awaited<ReturnType<typeof desk>>, id: string): Promise<{ form: string; bar: string }> {
  await d.keys('ctrl+u');
  await d.type(id);
  const form = d.screen();
  await d.keys('enter');
  return { form, bar: d.screen().split('\n')[0] };
}

describe.each([
  [80, 24],
  [100, 30],
])('an agent picked at the login form, at %ix%i', (columns, rows) => {
  it("works in the zone kept with them, not the --agent one's: the form's clock as the id is typed, the status bar, My Callbacks", async () => {
    const e = await world();
    const d = await desk(e, columns, rows, { tz: undefined, systemZone: () => 'UTC' });
    expect(d.screen()).toContain('Tue 24 Nov 2026 09:00:00 CST America/Chicago');
    // An id that names no agent yet: the clock stays as it was.
    await d.keys('ctrl+u');
    await d.type('t.ki');
    expect(d.screen()).toContain('Tue 24 Nov 2026 09:00:00 CST America/Chicago');
    const { form, bar } = await pick(d, 't.kim');
    expect(form).toContain('Tue 24 Nov 2026 20:30:00 IST Asia/Kolkata');
    expect(bar).toContain('Tae Kim');
    expect(bar).toMatch(/Tue 24 Nov (2026 )?20:30:00 IST/);
    expect(d.screen()).not.toContain('CST');
    await d.keys('6');
    await d.waitFor((s) => s.includes('My Callbacks ·'), 'My Callbacks');
    expect(d.screen()).toContain('you Asia/Kolkata');
    expect(e.state.agents['t.kim'].tz).toBe('Asia/Kolkata');
    expect(e.state.agents['a.lopez'].tz).toBe('America/Chicago');
  });

  it("one with no zone kept works in the machine's zone and keeps it; after logout the form is the --agent one's again", async () => {
    const e = await world();
    const d = await desk(e, columns, rows, { tz: undefined, systemZone: () => 'Pacific/Auckland' });
    const { form, bar } = await pick(d, 'u.park');
    expect(form).toContain('Wed 25 Nov 2026 04:00:00 NZDT Pacific/Auckland');
    expect(bar).toMatch(/Wed 25 Nov (2026 )?04:00:00 NZDT/);
    // Kept with the state: a later start for u.park shows it on any machine.
    expect(e.state.agents['u.park'].tz).toBe('Pacific/Auckland');
    await d.keys('L');
    await d.waitFor((s) => s.includes('agent login'), 'the login form');
    expect(d.screen()).toContain('Tue 24 Nov 2026 09:00:00 CST America/Chicago');
  });

  it('with --tz, the picked agent works in it and keeps it, as the --agent one does', async () => {
    const e = await world();
    const d = await desk(e, columns, rows, { tz: 'Europe/Paris', systemZone: () => 'UTC' });
    expect(d.screen()).toContain('Tue 24 Nov 2026 16:00:00 CET Europe/Paris');
    const { form, bar } = await pick(d, 't.kim');
    expect(form).toContain('Tue 24 Nov 2026 16:00:00 CET Europe/Paris');
    expect(bar).toMatch(/Tue 24 Nov (2026 )?16:00:00 CET/);
    expect(e.state.agents['t.kim'].tz).toBe('Europe/Paris');
  });
});
