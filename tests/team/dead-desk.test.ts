import { describe, expect, it } from 'vitest';
import { DESK_DEAD_MS } from '../../src/runtime/team-roles.js';
import { agentsOf, binOk, bookCallback, callLogOf, callableRecords, hostNowOf, interactionsOf, recordsOf, teamState, waitFor } from './team.js';
import { teamSuite } from './suite.js';

/**
 * Issue 20, 3: an agent whose desktop died (SIGKILL: no logout, no clean-up) is logged out by
 * the host once its heartbeat is DESK_DEAD_MS old, and its work goes back: a record it was
 * dialling returns to its calling list with its attempt counted, a personal callback on its
 * desk stays its own and comes to it at its next login. Nothing is lost.
 */

const { backends, team } = teamSuite('cbd-team-dead-');

describe.each(backends)('a desktop that dies ($name)', (backend) => {
  it('is logged out by the host after the dead-desk timeout, and its work goes back', { timeout: 120_000 }, async () => {
    const state = await teamState(backend, 'dead');
    // Only the Preview campaign dials: what is on each desk is what the test put there.
    await Promise.all(['collections-q4', 'policy-renewals'].map((c) => binOk(['campaigns', 'stop', c, '--state', state])));
    const host = team().host(state);
    await host.line(/^hosting/);
    const [a, b, c] = await team().loggedIn(state, ['a.lopez', 'b.okafor', 'c.tanaka']);

    // a: a personal callback of its own on its desk. b: a Preview record it is dialling.
    const [pA] = (await callableRecords(backend, state, 'care-follow-up', await hostNowOf(backend, state))).map((r) => r.record_id);
    await bookCallback(backend, state, { record: pA, at: await hostNowOf(backend, state), personal: 'a.lopez', marginMs: 1000 });
    await waitFor(`a's personal callback ${pA} on its desk`, async () => (await a.desk()).some((it) => it.recordId === pA));
    const preview = await b.preview('care-follow-up');
    if (!preview.ok) throw new Error(preview.error);
    const r1 = preview.value.recordId;
    expect(r1).not.toBe(pA);
    expect(await b.command('dial', preview.value.id)).toEqual({ ok: true });
    const attemptsDialled = (await recordsOf(backend, state)).get(r1)!.attempt;

    // Both desktops die.
    const beats = async () => new Map((((await backend.rows(state, { tables: ['agent_heartbeat'] })).agent_heartbeat as { agent_id: string; beat_at: number | string }[]).map((r) => [r.agent_id, Number(r.beat_at)])));
    await Promise.all([a.kill(), b.kill()]);
    const lastBeat = await beats();
    const killedAt = Date.now();

    // The host logs them out once their beat is DESK_DEAD_MS old, not before; c goes on.
    const gone = await waitFor('a and b logged out by the host', async () => {
      const agents = await agentsOf(backend, state);
      return !agents.get('a.lopez')!.session && !agents.get('b.okafor')!.session ? Date.now() : null;
    }, DESK_DEAD_MS + 20_000);
    expect(gone - Math.max(lastBeat.get('a.lopez')!, lastBeat.get('b.okafor')!)).toBeGreaterThanOrEqual(DESK_DEAD_MS - 200);
    expect(gone - killedAt).toBeLessThan(DESK_DEAD_MS + 8_000);
    const agents = await agentsOf(backend, state);
    expect(agents.get('c.tanaka')!.session).not.toBeNull();
    expect([...(await beats()).keys()]).toEqual(['c.tanaka']);
    const roster = JSON.parse(await binOk(['agents', 'list', '--state', state, '--json'])) as { id: string; state: string }[];
    expect(roster.filter((r) => ['a.lopez', 'b.okafor'].includes(r.id)).map((r) => r.state)).toEqual(['LoggedOut', 'LoggedOut']);

    // b's record is back in its list, the attempt it made counted, its call in the log ended.
    const records = await recordsOf(backend, state);
    expect(records.get(r1)).toMatchObject({ record_status: 1, agent_id: null, attempt: attemptsDialled });
    const call = (await callLogOf(backend, state)).filter((r) => r.record_id === r1);
    expect(call).toHaveLength(1);
    expect(call[0]).toMatchObject({ agent_id: 'b.okafor' });
    expect(call[0].dialled_at).not.toBeNull();
    expect(call[0].ended_at).not.toBeNull();
    // No interaction is left open on a dead desk.
    const open = (await interactionsOf(backend, state)).filter((it) => ['a.lopez', 'b.okafor'].includes(it.agentId ?? '') && it.state !== 'done');
    expect(open).toEqual([]);

    // a's personal callback is still a's, and comes to a at its next login.
    expect(records.get(pA)).toMatchObject({ record_type: 5, record_status: 1, agent_id: 'a.lopez' });
    const [again] = await team().loggedIn(state, ['a.lopez']);
    await waitFor(`a's personal callback ${pA} back on its desk`, async () => (await again.desk()).some((it) => it.recordId === pA));
    expect((await c.desk()).some((it) => it.recordId === pA)).toBe(false);
    await team().stop();
  });
});
