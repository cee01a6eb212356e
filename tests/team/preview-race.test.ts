import { describe, expect, it } from 'vitest';
import { binOk, callLogOf, recordsOf, teamState } from './team.js';
import { teamSuite } from './suite.js';

/**
 * Issue 20, 3: ten agents asking for Preview records at the same moment never get the same one
 * (the record is taken in the transaction that marks it Retrieved), round after round, each in
 * a process and on a connection of its own; a record called and Done is never handed out again.
 */

const { backends, team } = teamSuite('cbd-team-preview-');

const AGENTS = ['a.lopez', 'b.okafor', 'c.tanaka', 'd.murphy', 'e.silva', 'f.haddad', 'g.nguyen', 'h.patel', 'i.rossi', 'j.chen'];
const ROUNDS = 3;

describe.each(backends)('Preview requests of a team ($name)', (backend) => {
  it('ten agents asking at once never get the same record', { timeout: 120_000 }, async () => {
    const state = await teamState(backend, 'preview');
    // Only the Preview campaign runs: no dialer call keeps a desk busy.
    await Promise.all(['collections-q4', 'policy-renewals'].map((c) => binOk(['campaigns', 'stop', c, '--state', state])));
    const host = team().host(state);
    await host.line(/^hosting/);
    const desks = await team().loggedIn(state, AGENTS);

    const got = new Map<number, string[]>();
    for (let round = 0; round < ROUNDS; round++) {
      // All ten at once; each answer is a record of its own.
      const answers = await Promise.all(desks.map((d) => d.preview('care-follow-up')));
      answers.forEach((a, i) => {
        expect(a, `${desks[i].agent}, round ${round}`).toMatchObject({ ok: true });
        if (a.ok) got.set(a.value.recordId, [...(got.get(a.value.recordId) ?? []), desks[i].agent]);
      });
      const taken = answers.map((a) => (a.ok ? a.value.recordId : -1));
      expect(new Set(taken).size, `round ${round}: ${taken.join(', ')}`).toBe(desks.length);
      // Each desk shows its own record, as a preview of its agent.
      for (const [i, d] of desks.entries()) {
        expect((await d.desk()).filter((it) => it.state === 'preview').map((it) => [it.recordId, it.agentId])).toEqual([[taken[i], d.agent]]);
      }
      // The store agrees: Retrieved, for that agent.
      const records = await recordsOf(backend, state);
      for (const [i, d] of desks.entries()) expect(records.get(taken[i]), `record ${taken[i]}`).toMatchObject({ record_status: 2, agent_id: d.agent });
      // Each dials, hangs up and is Done, all at once: the record is processed, never handed out again.
      const call = async (i: number) => {
        const a = answers[i];
        if (!a.ok) return;
        const d = desks[i];
        for (const step of [() => d.command('dial', a.value.id), () => d.command('end', a.value.id), () => d.done(a.value.id, { disposition: null })]) {
          const r = await step();
          expect(r, `${d.agent}: ${JSON.stringify(r)}`).toMatchObject({ ok: true });
        }
      };
      await Promise.all(desks.map((_, i) => call(i)));
    }
    const twice = [...got].filter(([, who]) => who.length > 1);
    expect(twice, 'records handed out more than once').toEqual([]);
    expect(got.size).toBe(AGENTS.length * ROUNDS);
    // One delivery in the call log for each, to the agent who got it.
    const log = (await callLogOf(backend, state)).filter((r) => r.mode === 'Preview');
    expect(log.map((r) => [r.record_id, r.agent_id]).sort()).toEqual([...got].map(([rec, [who]]) => [rec, who]).sort());
    await team().stop();
  });
});
