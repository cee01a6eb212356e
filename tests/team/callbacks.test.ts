import { describe, expect, it } from 'vitest';
import { binOk, bookCallback, callLogOf, callableRecords, hostNowOf, messagesOf, recordsOf, teamState, waitFor, type DeskProcess } from './team.js';
import { teamSuite } from './suite.js';

/**
 * Issue 20, 3: callbacks are handed out exactly once and by the rules on a shared state. A
 * personal callback (record_type 5 with agent_id) goes to its owner, and only while the owner is
 * logged in; a campaign callback (6) goes to exactly one Ready agent of its campaign. Checked
 * across every desk, the calling list and the call log.
 */

const { backends, team } = teamSuite('cbd-team-callbacks-');

const CAMPAIGN = 'collections-q4';

/** Which desks show the record now (its interaction on the agent's desk). */
async function desksWith(desks: DeskProcess[], recordId: number): Promise<string[]> {
  const lists = await Promise.all(desks.map(async (d) => ((await d.desk()).some((it) => it.recordId === recordId) ? [d.agent] : [])));
  return lists.flat();
}

describe.each(backends)('callbacks on a team ($name)', (backend) => {
  it('a personal callback goes only to its owner, when logged in; a campaign callback to exactly one Ready agent', { timeout: 120_000 }, async () => {
    const state = await teamState(backend, 'callbacks');
    // A trainee who is not logged in yet owns one of the personal callbacks.
    await binOk(['agents', 'add', 't.trainee', '--name', 'Tia Trainee', '--state', state]);
    const host = team().host(state);
    await host.line(/^hosting/);
    const [a, b, c] = await team().loggedIn(state, ['a.lopez', 'b.okafor', 'c.tanaka']);
    // c is Not Ready: no campaign callback may reach it.
    expect(await c.status('NotReady')).toEqual({ ok: true });

    const now = await hostNowOf(backend, state);
    const [pB, pT, c1, c2] = (await callableRecords(backend, state, CAMPAIGN, now)).slice(0, 4).map((r) => r.record_id);
    // b's personal callback falls due first, so b is busy with it when the campaign's come.
    const due = await bookCallback(backend, state, { record: pB, at: now + 5000, personal: 'b.okafor' });
    await Promise.all([bookCallback(backend, state, { record: pT, at: due, personal: 't.trainee' }), ...[c1, c2].map((record) => bookCallback(backend, state, { record, at: due + 1000 }))]);

    const desks = [a, b, c];
    const deliveries = async (record: number) => (await callLogOf(backend, state)).filter((r) => r.record_id === record && r.delivered_at !== null);
    // b's callback: on b's desk, nowhere else; one delivery in the call log, to b.
    await waitFor(`the personal callback ${pB} on b's desk`, async () => (await desksWith(desks, pB)).length > 0, 30_000);
    expect(await desksWith(desks, pB)).toEqual(['b.okafor']);
    expect((await b.desk()).find((it) => it.recordId === pB)).toMatchObject({ origin: 'ScheduledCall', state: 'preview', agentId: 'b.okafor' });
    expect((await deliveries(pB)).map((r) => [r.agent_id, r.mode])).toEqual([['b.okafor', 'Personal Callback']]);

    // Each campaign callback: exactly one delivery, to an agent of the group who was Ready; a
    // desk agent shows it, and no other desk does. a is Ready and free: one of them is a's.
    for (const rec of [c1, c2]) {
      await waitFor(`the campaign callback ${rec} handed out`, async () => (await recordsOf(backend, state)).get(rec)!.record_status === 2, 30_000);
    }
    const records = await recordsOf(backend, state);
    const takers = [c1, c2].map((rec) => records.get(rec)!.agent_id);
    expect(takers).toContain('a.lopez');
    expect(takers).not.toContain('c.tanaka');
    expect(takers).not.toContain('b.okafor');
    expect(takers[0]).not.toBe(takers[1]);
    for (const rec of [c1, c2]) {
      const taker = records.get(rec)!.agent_id!;
      if (taker === 'a.lopez') {
        // The desk takes the host's change in within a moment.
        await waitFor(`the campaign callback ${rec} on a's desk`, async () => (await a.desk()).some((it) => it.recordId === rec), 10_000);
        expect(await desksWith(desks, rec)).toEqual(['a.lopez']);
        expect((await a.desk()).find((it) => it.recordId === rec)).toMatchObject({ origin: 'CampaignCallback', agentId: 'a.lopez' });
        expect((await deliveries(rec)).map((r) => [r.agent_id, r.mode])).toEqual([['a.lopez', 'Campaign Callback']]);
      } else {
        // A simulated colleague of the group took it (no desk is free): no desk shows it.
        expect(await desksWith(desks, rec)).toEqual([]);
        expect(['d.murphy', 'e.silva', 'f.haddad', 'g.nguyen', 'h.patel', 'i.rossi', 'j.chen', 'k.walker', 'l.schmidt', 'm.thapa']).toContain(taker);
        expect(await deliveries(rec)).toEqual([]);
      }
    }

    // The trainee's is due and stays theirs while they are logged out: on no desk, with no delivery.
    expect(await hostNowOf(backend, state)).toBeGreaterThan(due + 1000);
    expect(records.get(pT)).toMatchObject({ record_type: 5, record_status: 1, agent_id: 't.trainee' });
    expect(await desksWith(desks, pT)).toEqual([]);
    expect(await deliveries(pT)).toEqual([]);
    // The trainee logs in: it comes to them at once, and to nobody else.
    const [t] = await team().loggedIn(state, ['t.trainee']);
    await waitFor(`the trainee's callback ${pT} on their desk`, async () => (await t.desk()).some((it) => it.recordId === pT), 30_000);
    expect(await desksWith([...desks, t], pT)).toEqual(['t.trainee']);
    expect((await deliveries(pT)).map((r) => [r.agent_id, r.mode])).toEqual([['t.trainee', 'Personal Callback']]);

    // One notice per delivery, to the agent who got it.
    const notices = (await messagesOf(backend, state)).filter((m) => /callback due/.test(m.subject));
    expect(notices.map((m) => m.agent_id).sort()).toEqual(['a.lopez', 'b.okafor', 't.trainee']);
    await team().stop();
  });
});
