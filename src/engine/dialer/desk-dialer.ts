import {
  CallResult,
  DialingMode,
  DIALING_MODE_NAMES,
  RecordStatus,
  RecordType,
  type Campaign,
  type CampaignStatus,
  type CallingListRecord,
} from '../domain.js';
import type { Engine } from '../engine.js';
import { fail, ok, type Result } from '../result.js';
import { putRecordOnDesk } from '../callbacks.js';
import { nextDialableRecord } from '../outbound.js';
import { drawCallOutcome } from './call-model.js';
import { treatCallResult } from './call-treatment.js';
import { createCampaignSim, type CampaignSimRun, type SimFigures, type SimMode } from './campaign-sim.js';
import { wholeSeconds } from '../time/iso-time.js';

/**
 * The dialer at the agent's desk: in the running automatic campaigns of the agent's group it
 * pushes records (Push Preview) or dials for the agent (Progressive, Predictive) and connects
 * answered calls. Colleagues' calls are simulated apart (campaignFigures), so My Campaigns
 * shows live figures without simulating every colleague call in the desktop's event queue.
 */

const TICK_MS = 5_000;
/** Answering-machine detection adds this much before a call is known to be live. */
export const ANSWER_DETECTION_MS = 2_000;
/** The campaign setting capping how long a negotiated logout waits, by default. */
export const DEFAULT_LOGOUT_WAIT_CAP_SEC = 30;

export const AUTOMATIC_DIALING: DialingMode[] = [DialingMode.Progressive, DialingMode.Predictive, DialingMode.ProgressiveWithSeizing, DialingMode.PredictiveWithSeizing, DialingMode.PushPreview];

export function simModeOf(mode: DialingMode): SimMode {
  if (mode === DialingMode.Preview) return 'preview';
  if (mode === DialingMode.PushPreview) return 'push-preview';
  if (mode === DialingMode.Progressive || mode === DialingMode.ProgressiveWithSeizing) return 'progressive';
  return 'predictive';
}

/**
 * The agent the dialer may dial for. Predictive dials ahead for an agent still in After Call
 * Work (the call may then find them busy and be abandoned); otherwise as for any voice call.
 */
function agentFree(engine: Engine, dialAhead: boolean): string | null {
  return engine.agentFreeForVoice({ inWrapUp: dialAhead });
}

/** The agent's running automatic campaigns, in a stable order. */
export function automaticCampaigns(engine: Engine): Campaign[] {
  const me = engine.state.session.agentId;
  if (!me) return [];
  const group = engine.state.agents[me].groupId;
  return Object.values(engine.state.campaigns)
    .filter((c) => c.groupId === group && c.status === 'Started' && AUTOMATIC_DIALING.includes(c.dialingMode))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}

function stats(c: Campaign) {
  return (c.deskStats ??= { attempts: 0, liveAnswers: 0, abandoned: 0 });
}

export function registerDeskDialer(engine: Engine): void {
  engine.onTimer('DialerTick', () => {
    engine.schedule(engine.now + TICK_MS, { type: 'DialerTick' });
    const campaigns = automaticCampaigns(engine);
    if (campaigns.length === 0) return;
    const d = engine.mut.dialer;
    const c = campaigns[d.turn % campaigns.length];
    d.turn++;
    const predictive = c.dialingMode === DialingMode.Predictive || c.dialingMode === DialingMode.PredictiveWithSeizing;
    // Predictive dials ahead: for an agent still wrapping up, the call may find them busy.
    const me = agentFree(engine, predictive);
    if (!me) return;
    if (d.inFlight.some((x) => x.agentId === me)) return;
    // Hold the agent for a personal callback due within two minutes: it comes first.
    const soon = engine.now + 120_000;
    const holding = engine.store.records.openPersonalCallbacks(me).some((r) => r.dialSchedAt !== null && r.dialSchedAt <= soon);
    if (holding) return;
    const rec = nextDialableRecord(engine, c.id, d.inFlight.map((x) => x.recordId));
    if (!rec) return;
    if (c.dialingMode === DialingMode.PushPreview) {
      const it = putRecordOnDesk(engine, rec, { origin: 'PushPreview', state: 'alerting' });
      engine.schedule(engine.now + 30_000, { type: 'InviteTimeout', interactionId: it.id });
      return;
    }
    // Progressive and Predictive: the system dials; only a live answer reaches the agent.
    const rates = c.sim ?? { hitRate: 0.3, talkSec: 120, wrapSec: 10 };
    const { result, ringSec } = drawCallOutcome(engine.random, rates.hitRate);
    const ring = Math.round(ringSec * 1000);
    rec.attempt += 1;
    rec.callAt = wholeSeconds(engine.now);
    engine.touch('record', rec.record_id);
    stats(engine.mut.campaigns[c.id]).attempts++;
    engine.touch('campaign', c.id);
    const call = { id: d.nextCallId++, campaignId: c.id, recordId: rec.record_id, agentId: me, dialedAt: engine.now, ringEnd: engine.now + ring + ANSWER_DETECTION_MS, result };
    d.inFlight.push(call);
    engine.schedule(call.ringEnd, { type: 'DialerRingEnd', callId: call.id });
  });

  engine.onTimer('DialerRingEnd', (ev) => {
    const d = engine.mut.dialer;
    const call = d.inFlight.find((x) => x.id === ev.callId);
    if (!call) return;
    d.inFlight = d.inFlight.filter((x) => x.id !== ev.callId);
    const rec = engine.record(call.recordId)!;
    const c = engine.mut.campaigns[call.campaignId];
    const live = call.result === CallResult.Answer || call.result === CallResult.WrongParty;
    if (!live) {
      treat(engine, rec, call.result as CallResult);
      return;
    }
    stats(c).liveAnswers++;
    engine.touch('campaign', c.id);
    const me = engine.state.session.agentId;
    // The agent must be there and free: a call that is still being delivered during a
    // negotiated logout is delivered all the same (the logout waits for it).
    const free = me === call.agentId && engine.agentFreeForVoice({ duringLogout: true }) === me;
    if (!free) {
      // Nobody to take it within 2 seconds: an abandoned call.
      stats(c).abandoned++;
      treat(engine, rec, CallResult.Abandoned);
      return;
    }
    putRecordOnDesk(engine, rec, { origin: 'Dialer', state: 'connected', callResult: call.result as CallResult, connectedAt: engine.now });
  });
}

/**
 * A call the dialer placed that never reached the agent: the record takes its call result and
 * the treatment the simulation applies too (finished, or dialed again after the interval).
 */
function treat(engine: Engine, rec: CallingListRecord, result: CallResult): void {
  rec.call_result = result;
  const t = treatCallResult(result, rec.attempt);
  if (t.finished) rec.record_status = RecordStatus.Updated;
  else rec.dialSchedAt = wholeSeconds(engine.now) + t.retryAfterSec * 1000;
  rec.treatments = [...rec.treatments, t.finished ? `finished on ${result}` : `retry after ${t.retryAfterSec / 60} min on ${result}`];
  engine.touch('record', rec.record_id);
}

// ---- My Campaigns figures -------------------------------------------------------------------

export interface CampaignFigures {
  attempts: number;
  liveAnswers: number;
  abandoned: number;
  abandonRate: number;
  /** Busy share of the campaign's agents. */
  occupancy: number;
  abandonRateLastHour: number;
}

/** Colleagues' calls are simulated over the campaign's first day at most. */
const COLLEAGUE_SIM_HOURS = 24;
const figureCache = new WeakMap<Engine, Map<string, { minute: number; figures: CampaignFigures; key: string; run: CampaignSimRun | undefined; elapsedSec: number }>>();

/**
 * Live figures of a running campaign: the colleagues' dialing, simulated call by call from the
 * start of the campaign (up to a day back) with the campaign's mode and rates, plus the calls
 * dialed for the agent at the keyboard. Deterministic for a world, seed and minute.
 */
export function campaignFigures(engine: Engine, campaignId: string): CampaignFigures | null {
  const c = engine.state.campaigns[campaignId];
  if (!c || c.status !== 'Started' || c.startedAt === null) return null;
  const minute = Math.floor(engine.now / 60_000);
  let cache = figureCache.get(engine);
  if (!cache) figureCache.set(engine, (cache = new Map()));
  const hit = cache.get(campaignId);
  if (hit && hit.minute === minute) return hit.figures;
  const colleagues = Object.values(engine.state.agents).filter((a) => a.simulated && a.groupId === c.groupId).length;
  const elapsedSec = Math.min(COLLEAGUE_SIM_HOURS * 3600, (engine.now - c.startedAt) / 1000);
  const rates = c.sim ?? { hitRate: 0.3, talkSec: 120, wrapSec: 10 };
  // The colleagues' run goes on from where it was: the figures cost the minutes since the last
  // look, not a re-simulation from the campaign's start.
  const key = `${c.startedAt}|${c.dialingMode}|${colleagues}|${rates.hitRate}|${rates.talkSec}|${rates.wrapSec}|${c.targetAbandonRate}`;
  let run = hit?.key === key && hit.elapsedSec <= elapsedSec ? hit.run : undefined;
  let sim: SimFigures | null = null;
  if (elapsedSec >= 60 && colleagues > 0) {
    run ??= createCampaignSim({
      mode: simModeOf(c.dialingMode),
      agents: colleagues,
      hours: COLLEAGUE_SIM_HOURS,
      hitRate: rates.hitRate,
      talkSec: rates.talkSec,
      wrapSec: rates.wrapSec,
      targetAbandon: c.targetAbandonRate,
      seed: (engine.state.seed * 31 + campaignId.length * 7919 + Math.floor(c.startedAt / 1000)) >>> 0,
      start: c.startedAt,
    });
    run.runUntil(elapsedSec);
    sim = run.figures(elapsedSec);
  }
  const own = c.deskStats ?? { attempts: 0, liveAnswers: 0, abandoned: 0 };
  const attempts = (sim?.attempts ?? 0) + own.attempts;
  const liveAnswers = (sim?.liveAnswers ?? 0) + own.liveAnswers;
  const abandoned = (sim?.abandoned ?? 0) + own.abandoned;
  const figures = {
    attempts,
    liveAnswers,
    abandoned,
    abandonRate: liveAnswers > 0 ? abandoned / liveAnswers : 0,
    occupancy: sim?.occupancy ?? 0,
    abandonRateLastHour: sim?.abandonRateLastHour ?? 0,
  };
  cache.set(campaignId, { minute, figures, key, run, elapsedSec });
  return figures;
}

// ---- campaign lifecycle (a supervisor's actions) ----------------------------------------------

const TRANSITIONS: Record<CampaignStatus, CampaignStatus[]> = {
  Unloaded: ['Loaded'],
  Loaded: ['Started', 'Unloaded'],
  Started: ['Stopped'],
  Stopped: ['Started', 'Unloaded'],
};

export function setCampaignStatus(engine: Engine, campaignId: string, status: CampaignStatus): Result<Campaign> {
  return engine.run(() => {
    const c = engine.mut.campaigns[campaignId];
    if (!c) return fail(`no campaign ${campaignId}`);
    if (!TRANSITIONS[c.status].includes(status)) return fail(`${c.name} is ${c.status}; it can go to ${TRANSITIONS[c.status].join(' or ')}`);
    if (status === 'Started') {
      c.status = 'Loaded';
      engine.startCampaign(c.id);
    } else {
      c.status = status;
      engine.touch('campaign', c.id);
    }
    return ok(c);
  });
}

/** A change of dialing mode while running; the agents are told. */
export function setDialingMode(engine: Engine, campaignId: string, mode: DialingMode): Result<Campaign> {
  return engine.run(() => {
    const c = engine.mut.campaigns[campaignId];
    if (!c) return fail(`no campaign ${campaignId}`);
    if (!(mode in DIALING_MODE_NAMES)) return fail(`unknown dialing mode ${mode}`);
    const before = c.dialingMode;
    c.dialingMode = mode;
    engine.touch('campaign', c.id);
    const me = engine.state.session.agentId;
    if (me && engine.state.agents[me].groupId === c.groupId && before !== mode) {
      engine.postMessage(me, 'campaign', `Campaign ${c.name} now dials ${DIALING_MODE_NAMES[mode]}`, `${c.name} changed from ${DIALING_MODE_NAMES[before]} to ${DIALING_MODE_NAMES[mode]}.`, 'normal');
    }
    return ok(c);
  });
}
