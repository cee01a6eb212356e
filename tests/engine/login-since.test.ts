import { describe, expect, it } from 'vitest';
import { agentState } from '../../src/engine/team.js';
import { demoEngine } from '../helpers/world.js';

describe('an agent logging in', () => {
  it('is in its state since the login, a simulated colleague already Ready too (the status bar and the supervisor show the time)', async () => {
    const e = await demoEngine(7);
    await e.advanceBy(60_000);
    const colleague = Object.values(e.state.agents).find((a) => a.simulated && a.status === 'Ready')!;
    expect((await e.login(colleague.id, 'Place_9')).ok).toBe(true);
    expect(agentState(e, e.state.agents[colleague.id])).toEqual({ state: 'Ready', since: e.now });
  });
});
