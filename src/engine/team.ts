import type { Agent, AgentStatus } from './domain.js';
import type { Engine } from './engine.js';
import { fail, ok, type Result } from './result.js';

/**
 * The team: who works on the world, and in what state now (issue 20). An agent is a person at a
 * desktop while logged in; a colleague the simulation works for is `simulated` (the demo world
 * has twelve) until someone logs in as them.
 */

/** What a supervisor reads of an agent's state (WDE's words, with Talking and Wrap-up as they see them). */
export type AgentState = 'LoggedOut' | 'Ready' | 'NotReady' | 'Talking' | 'WrapUp';

export interface AgentRow {
  id: string;
  name: string;
  state: AgentState;
  /** When the state began (simulated UTC ms), or null when unknown. */
  since: number | null;
  /** The running and loaded campaigns of the agent's group, by id. */
  campaigns: string[];
  /** `simulated`: a colleague the simulation works for; `real`: a person (logged in now, or not). */
  kind: 'simulated' | 'real';
  place: string | null;
}

/** An agent's state now: a connected voice call is Talking, After Call Work is Wrap-up. */
export function agentState(engine: Engine, a: Agent): { state: AgentState; since: number | null } {
  if (!a.session && !a.simulated) return { state: 'LoggedOut', since: a.statusSince ?? null };
  const talking = engine.activeVoice(a.id).find((i) => i.state === 'connected');
  if (talking) return { state: 'Talking', since: talking.outbound?.connectedAt ?? talking.updatedAt };
  const map: Record<AgentStatus, AgentState> = { Ready: 'Ready', NotReady: 'NotReady', AfterCallWork: 'WrapUp', LoggedOut: 'LoggedOut' };
  return { state: map[a.status], since: a.statusSince ?? null };
}

/** Every agent of the world, in id order, as `agents list` shows them. */
export function agentRoster(engine: Engine): AgentRow[] {
  const campaignsOf = (group: string) =>
    Object.values(engine.state.campaigns)
      .filter((c) => c.groupId === group && (c.status === 'Started' || c.status === 'Loaded'))
      .map((c) => c.id)
      .sort();
  return Object.values(engine.state.agents)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((a) => {
      const { state, since } = agentState(engine, a);
      return { id: a.id, name: a.name, state, since, campaigns: campaignsOf(a.groupId), kind: a.simulated && !a.session ? 'simulated' : 'real', place: a.session?.place ?? null };
    });
}

/** The group a new agent joins when none is named: the group of the world's campaigns, when there is one. */
export function defaultGroup(engine: Engine): string | null {
  const groups = [...new Set(Object.values(engine.state.campaigns).map((c) => c.groupId))];
  return groups.length === 1 ? groups[0] : null;
}

/** `agents add`: a person who will log in (a trainee of a training room), logged out for now. */
export function addAgent(engine: Engine, a: { id: string; name: string; groupId: string }): Promise<Result<Agent>> {
  return engine.run(() => {
    if (engine.state.agents[a.id]) return fail(`agent ${a.id} already exists (${engine.state.agents[a.id].name})`);
    if (!a.name.trim()) return fail('an agent needs a name');
    const agent: Agent = { id: a.id, name: a.name.trim(), groupId: a.groupId, status: 'LoggedOut', simulated: false, place: null, loggedInAt: null, statusSince: engine.now, session: null };
    engine.mut.agents[a.id] = agent;
    engine.touch('agent', a.id);
    return ok(agent);
  });
}
