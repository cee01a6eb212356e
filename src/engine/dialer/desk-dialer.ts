import { DialingMode, DIALING_MODE_NAMES, type Campaign, type CampaignStatus } from '../domain.js';
import type { Engine } from '../engine.js';
import { fail, ok, type Result } from '../result.js';
import { putRecordOnDesk } from '../callbacks.js';
import { nextDialableRecord } from '../outbound.js';
import type { SimMode } from './campaign-sim.js';
import { heldForPersonalCallback, registerGroupDialer, wakeGroups } from './group-dialer.js';

export { ANSWER_DETECTION_MS, campaignFigures, type CampaignFigures } from './group-dialer.js';

/**
 * The dialer at the agent's desk, in the running automatic campaigns of the agent's group.
 * Progressive and Predictive: the group dialer (group-dialer.ts) paces the agent and the
 * simulated colleagues with the model `sim` runs, on the engine's event queue. Push Preview:
 * a record is pushed to the agent when Ready (a poll every 5 seconds, round robin).
 */

const PUSH_TICK_MS = 5_000;
/** The campaign setting capping how long a negotiated logout waits, by default. */
export const DEFAULT_LOGOUT_WAIT_CAP_SEC = 30;

export const AUTOMATIC_DIALING: DialingMode[] = [DialingMode.Progressive, DialingMode.Predictive, DialingMode.ProgressiveWithSeizing, DialingMode.PredictiveWithSeizing, DialingMode.PushPreview];

export function simModeOf(mode: DialingMode): SimMode {
  if (mode === DialingMode.Preview) return 'preview';
  if (mode === DialingMode.PushPreview) return 'push-preview';
  if (mode === DialingMode.Progressive || mode === DialingMode.ProgressiveWithSeizing) return 'progressive';
  return 'predictive';
}

/** An agent's (by default the one at this desktop) running automatic campaigns, in a stable order. */
export function automaticCampaigns(engine: Engine, me: string | null = engine.agentId): Campaign[] {
  if (!me || !engine.state.agents[me]) return [];
  const group = engine.state.agents[me].groupId;
  return Object.values(engine.state.campaigns)
    .filter((c) => c.groupId === group && c.status === 'Started' && AUTOMATIC_DIALING.includes(c.dialingMode))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}

export function registerDeskDialer(engine: Engine): void {
  registerGroupDialer(engine);
  engine.onTimer('DialerTick', async () => {
    engine.schedule(engine.now + PUSH_TICK_MS, { type: 'DialerTick' });
    // A state saved before the group dialer has only this timer: it wakes the groups up once.
    if (!engine.state.dialer.groups) wakeGroups(engine);
    // Each agent at a desktop in Push Preview campaigns gets a record when free, their
    // campaigns taken in turn.
    for (const agent of engine.loggedInAgents()) {
      const campaigns = automaticCampaigns(engine, agent.id).filter((c) => c.dialingMode === DialingMode.PushPreview);
      if (campaigns.length === 0) continue;
      const d = engine.mut.dialer;
      const c = campaigns[d.turn % campaigns.length];
      d.turn++;
      const me = engine.agentFreeForVoice(agent.id);
      if (!me) continue;
      if (await heldForPersonalCallback(engine, me)) continue;
      const rec = await nextDialableRecord(engine, c.id, d.inFlight.map((x) => x.recordId));
      if (!rec) continue;
      const it = await putRecordOnDesk(engine, rec, { agentId: me, origin: 'PushPreview', state: 'alerting' });
      engine.schedule(engine.now + engine.inviteTimeoutMs, { type: 'InviteTimeout', interactionId: it.id });
    }
  });
}

// ---- campaign lifecycle (a supervisor's actions) ----------------------------------------------

const TRANSITIONS: Record<CampaignStatus, CampaignStatus[]> = {
  Unloaded: ['Loaded'],
  Loaded: ['Started', 'Unloaded'],
  Started: ['Stopped'],
  Stopped: ['Started', 'Unloaded'],
};

/**
 * Why a campaign cannot go to `status` now, or null when it can: the one check setCampaignStatus
 * runs and a supervisor's keys show as their disabled reason.
 */
export function campaignStatusRefusal(c: Campaign, status: CampaignStatus): string | null {
  return TRANSITIONS[c.status].includes(status) ? null : `${c.name} is ${c.status}; it can go to ${TRANSITIONS[c.status].join(' or ')}`;
}

export function setCampaignStatus(engine: Engine, campaignId: string, status: CampaignStatus): Promise<Result<Campaign>> {
  return engine.run(async () => {
    const c = engine.mut.campaigns[campaignId];
    if (!c) return fail(`no campaign ${campaignId}`);
    const refusal = campaignStatusRefusal(c, status);
    if (refusal) return fail(refusal);
    if (status === 'Started') {
      c.status = 'Loaded';
      await engine.startCampaign(c.id);
    } else {
      c.status = status;
      engine.touch('campaign', c.id);
    }
    wakeGroups(engine);
    return ok(c);
  });
}

/** A change of dialing mode while running; the agents are told. */
export function setDialingMode(engine: Engine, campaignId: string, mode: DialingMode): Promise<Result<Campaign>> {
  return engine.run(async () => {
    const c = engine.mut.campaigns[campaignId];
    if (!c) return fail(`no campaign ${campaignId}`);
    if (!(mode in DIALING_MODE_NAMES)) return fail(`unknown dialing mode ${mode}`);
    const before = c.dialingMode;
    c.dialingMode = mode;
    engine.touch('campaign', c.id);
    wakeGroups(engine);
    if (before !== mode) {
      for (const a of engine.loggedInAgents()) {
        if (a.groupId !== c.groupId) continue;
        await engine.postMessage(a.id, 'campaign', `Campaign ${c.name} now dials ${DIALING_MODE_NAMES[mode]}`, `${c.name} changed from ${DIALING_MODE_NAMES[before]} to ${DIALING_MODE_NAMES[mode]}.`, 'normal');
      }
    }
    return ok(c);
  });
}

/** The abandon rate a supervisor may set as the target: OCS's range is a share of live answers. */
export const ABANDON_TARGET_RANGE = { min: 0, max: 0.2 } as const;

/** Why `rate` cannot be an abandon target, or null: setTargetAbandonRate's check, and the supervisor's +/- keys'. */
export function abandonTargetRefusal(rate: number): string | null {
  return Number.isFinite(rate) && rate >= ABANDON_TARGET_RANGE.min - 1e-9 && rate <= ABANDON_TARGET_RANGE.max + 1e-9
    ? null
    : `an abandon target is ${ABANDON_TARGET_RANGE.min * 100}% to ${ABANDON_TARGET_RANGE.max * 100}% of live answers`;
}

/** A supervisor's new abandon-rate target (0.03 = 3%): the pacing steers to it from its next look. */
export function setTargetAbandonRate(engine: Engine, campaignId: string, rate: number): Promise<Result<Campaign>> {
  return engine.run(() => {
    const c = engine.mut.campaigns[campaignId];
    if (!c) return fail(`no campaign ${campaignId}`);
    const refusal = abandonTargetRefusal(rate);
    if (refusal) return fail(refusal);
    // Kept to a tenth of a percent, as it is shown.
    c.targetAbandonRate = Math.round(rate * 1000) / 1000;
    engine.touch('campaign', c.id);
    wakeGroups(engine);
    return ok(c);
  });
}

/** The most simulated colleagues a campaign may keep (the demo world's group has twelve). */
export const MAX_SIMULATED_COLLEAGUES = 500;

/**
 * How many simulated colleagues the campaign's dialer keeps beside the agents at desktops (0:
 * the real agents alone, as in a training room); taken at the campaign's next start.
 */
export function setSimulatedColleagues(engine: Engine, campaignId: string, n: number): Promise<Result<Campaign>> {
  return engine.run(() => {
    const c = engine.mut.campaigns[campaignId];
    if (!c) return fail(`no campaign ${campaignId}`);
    if (!Number.isInteger(n) || n < 0 || n > MAX_SIMULATED_COLLEAGUES) return fail(`simulated colleagues: a whole number from 0 to ${MAX_SIMULATED_COLLEAGUES}`);
    c.simulatedColleagues = n;
    engine.touch('campaign', c.id);
    return ok(c);
  });
}

// This feature's timers, in the engine's one event queue (world.ts).
declare module '../world.js' {
  interface SimEventMap {
    /** Push Preview's poll; in a state saved before the group dialer it also wakes the groups up. */
    DialerTick: Record<never, never>;
  }
}
