import { DIALING_MODE_NAMES, RecordType, type CallingListRecord, type CampaignStatus } from './domain.js';
import type { Engine } from './engine.js';
import type { StoreReader } from './store-port.js';
import { agentRoster, type AgentRow } from './team.js';

/**
 * What a supervisor watches (issue 20, `callback-desk supervisor`): the agents and the time in
 * their state, each campaign's live figures against its abandon target, the callbacks due in
 * the next hour by owner, the negotiated logouts under way. Computed here from the engine's
 * state and the store, so the screen only draws it.
 */

export interface SupervisedAgent extends AgentRow {
  /** Time in the state now, ms (null when its start is unknown). */
  inStateMs: number | null;
}

export interface CampaignBoardRow {
  id: string;
  name: string;
  status: CampaignStatus;
  mode: string;
  /** Since the campaign's last start (the dialer's live figures). */
  attempts: number;
  connects: number;
  abandoned: number;
  /** Abandoned over live answers, null before the first live answer. */
  abandonRate: number | null;
  target: number;
  /** The abandon rate is over the target. */
  overTarget: boolean;
  /** Agents of the campaign's group at desktops, Ready and free / on a call or in wrap-up. */
  ready: number;
  busy: number;
  /** Simulated colleagues the dialer keeps for the campaign now: in the group, and busy. */
  colleagues: number;
  colleaguesBusy: number;
}

export interface PendingLogout {
  agentId: string;
  name: string;
  requestedAt: number;
  /** Left of the countdown once the dialer let the agent go (ms); null while it waits. */
  remainingMs: number | null;
  /** What it waits for while remainingMs is null: the call the agent is on, or the dialer's answer. */
  waitingFor: 'call' | 'dialer' | null;
}

export interface CallbackDue {
  recordId: number;
  /** The owner: the agent of a personal callback; null for a campaign callback (any agent). */
  owner: string | null;
  campaignId: string;
  dueAt: number;
}

/** How far ahead the supervisor's callbacks look. */
export const CALLBACKS_AHEAD_MS = 3_600_000;
/** The most callbacks due the view reads (it shows a count per owner and the first of each). */
export const CALLBACKS_DUE_LIMIT = 500;

export function supervisedAgents(engine: Engine): SupervisedAgent[] {
  const now = engine.now;
  return agentRoster(engine).map((a) => ({ ...a, inStateMs: a.since === null ? null : Math.max(0, now - a.since) }));
}

export function campaignBoard(engine: Engine): CampaignBoardRow[] {
  const roster = agentRoster(engine);
  const groupOf = new Map(Object.values(engine.state.agents).map((a) => [a.id, a.groupId]));
  return Object.values(engine.state.campaigns)
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .map((c) => {
      const f = c.figures;
      const desks = roster.filter((a) => a.kind === 'real' && a.place !== null && groupOf.get(a.id) === c.groupId);
      const g = c.status === 'Started' ? engine.state.dialer.groups?.[c.id] : undefined;
      const colleagues = g ? g.colleagueState.filter((s) => s !== 2).length : 0;
      const abandonRate = f && f.liveAnswers > 0 ? f.abandoned / f.liveAnswers : null;
      return {
        id: c.id,
        name: c.name,
        status: c.status,
        mode: DIALING_MODE_NAMES[c.dialingMode],
        attempts: f?.attempts ?? 0,
        connects: f?.liveAnswers ?? 0,
        abandoned: f?.abandoned ?? 0,
        abandonRate,
        target: c.targetAbandonRate,
        overTarget: abandonRate !== null && abandonRate > c.targetAbandonRate,
        ready: desks.filter((a) => a.state === 'Ready').length,
        busy: desks.filter((a) => a.state === 'Talking' || a.state === 'WrapUp').length,
        colleagues,
        colleaguesBusy: g ? g.colleagueState.filter((s) => s === 1).length : 0,
      };
    });
}

export function pendingLogouts(engine: Engine): PendingLogout[] {
  const out: PendingLogout[] = [];
  for (const a of engine.loggedInAgents()) {
    const l = a.session?.logout;
    if (!l) continue;
    const remainingMs = l.authorizedAt === null ? null : Math.max(0, l.remainingMs - (engine.now - l.authorizedAt));
    const onCall = engine.activeVoice(a.id).some((i) => i.state === 'connected' || i.state === 'dialing');
    out.push({ agentId: a.id, name: a.name, requestedAt: l.requestedAt, remainingMs, waitingFor: remainingMs !== null ? null : onCall ? 'call' : 'dialer' });
  }
  return out.sort((x, y) => x.requestedAt - y.requestedAt);
}

/** Open callbacks due from now to an hour ahead, earliest first (read from the store's index). */
export async function callbacksDue(q: StoreReader, now: number): Promise<CallbackDue[]> {
  const rows: CallingListRecord[] = await q.records.openCallbacksBetween(now, now + CALLBACKS_AHEAD_MS, CALLBACKS_DUE_LIMIT);
  return rows.map((r) => ({ recordId: r.record_id, owner: r.record_type === RecordType.PersonalCallback ? r.agent_id : null, campaignId: r.campaign_id, dueAt: r.dialSchedAt ?? now }));
}

/** Callbacks due by owner ("campaign" for campaign callbacks), each with its count and first due. */
export function callbacksByOwner(due: readonly CallbackDue[]): { owner: string | null; count: number; firstAt: number }[] {
  const by = new Map<string | null, { owner: string | null; count: number; firstAt: number }>();
  for (const d of due) {
    const have = by.get(d.owner);
    if (have) have.count++;
    else by.set(d.owner, { owner: d.owner, count: 1, firstAt: d.dueAt });
  }
  return [...by.values()].sort((a, b) => a.firstAt - b.firstAt);
}
