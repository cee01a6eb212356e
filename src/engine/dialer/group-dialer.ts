// Long on purpose: the desk's side of the group loop (agents at desktops, their records and
// events, the campaign's figures) around each of the group's timers.
import { CallResult, DialingMode, RecordStatus, type Campaign, type CampaignLiveFigures, type CallingListRecord } from '../domain.js';
import type { Engine } from '../engine.js';
import { Random } from '../random.js';
import { putRecordOnDesk } from '../callbacks.js';
import { nextDialableRecord } from '../outbound.js';
import { wholeSeconds } from '../time/iso-time.js';
import type { DialerCall, SimEvent } from '../world.js';
import type { GroupDialer } from './group-state.js';
import type { CallEvent } from '../lifecycle.js';
import { drawCallOutcome } from './call-model.js';
import { treatCallResult } from './call-treatment.js';
import { linesToDial, type PacedMode, type PacingInput } from './pacing.js';
import { abandonRate, ringSums } from './group-model.js';
import * as loop from './group-loop.js';

export { ANSWER_DETECTION_MS } from './group-loop.js';

/**
 * Progressive and Predictive at the desk: each running campaign's group (the agents at
 * desktops, when logged in and in its group, plus the simulated colleagues) runs the one group
 * loop (group-loop.ts) that `sim` runs, on the engine's event queue. Every dial, ring end,
 * abandon and colleague's end of call is an engine timer; pacing runs when one of them (or an
 * agent's own state) changes, and on the controller's 30-second step in Predictive. Lines for
 * the agents at desktops dial the calling list's records (the store's one next-dialable rule);
 * the colleagues' lines dial their own generated list, so the demo's list is not used up by
 * colleagues. The campaign's figures are counted as calls end (O(1) each) and saved with the
 * campaign: My Campaigns reads them and never simulates.
 */

/** The colleagues work the campaign's first day (their shift); the agents at desktops work on. */
export const COLLEAGUE_SHIFT_MS = 24 * 3_600_000;
/** The abandon target when a campaign (an older state's) does not say. */
export const DEFAULT_TARGET_ABANDON = 0.03;
/** With the agent free and nothing to dial for them, look again a minute later. */
const NOTHING_DIALABLE_RETRY_MS = 60_000;
/** A personal callback due this soon holds the dialer off the agent: it comes first. */
const PERSONAL_CALLBACK_HOLD_MS = 120_000;

/** The colleagues' rates when a campaign does not set its own (`sim`'s defaults too). */
export const DEFAULT_RATES: loop.GroupRates = { hitRate: 0.3, talkSec: 120, wrapSec: 10 };

export function pacedModeOf(mode: Campaign['dialingMode']): PacedMode | null {
  if (mode === DialingMode.Progressive || mode === DialingMode.ProgressiveWithSeizing) return 'progressive';
  if (mode === DialingMode.Predictive || mode === DialingMode.PredictiveWithSeizing) return 'predictive';
  return null;
}

/** The simulated colleagues a start of the campaign keeps: its setting, at most the group's simulated agents. */
function colleaguesOf(engine: Engine, c: Campaign): number {
  let n = 0;
  for (const a of Object.values(engine.state.agents)) if (a.simulated && a.groupId === c.groupId) n++;
  return c.simulatedColleagues === undefined ? n : Math.min(n, c.simulatedColleagues);
}

/** The seed of a campaign start's colleagues (the demo world seeds its first figures with it). */
export function colleagueSeed(worldSeed: number, campaignId: string, startedAt: number): number {
  return (worldSeed * 31 + campaignId.length * 7919 + Math.floor(startedAt / 1000)) >>> 0;
}

/** The random stream of a campaign start's group at the desk. */
export function groupRandom(worldSeed: number, campaignId: string, startedAt: number): Random {
  return new Random(colleagueSeed(worldSeed, campaignId, startedAt) ^ 0x5bd1e995);
}

/** The campaign's group dialer, a new one when the campaign (re)started since. */
function groupOf(engine: Engine, c: Campaign): GroupDialer {
  const d = engine.mut.dialer;
  const groups = (d.groups ??= {});
  const have = groups[c.id];
  if (have && have.startedAt === c.startedAt) return have;
  const startedAt = c.startedAt ?? engine.now;
  const rnd = groupRandom(engine.state.seed, c.id, startedAt);
  const g = loop.newGroup(colleaguesOf(engine, c), rnd, startedAt, engine.now);
  g.rng = rnd.state();
  groups[c.id] = g;
  const mc = engine.mut.campaigns[c.id];
  // Figures of this start carry on (the demo world seeds the first ones); a new start counts anew.
  if (mc.figures?.since !== startedAt) {
    mc.figures = { since: startedAt, attempts: 0, liveAnswers: 0, abandoned: 0, busyMs: 0, loggedMs: 0, at: engine.now, busyAgents: 0, loggedAgents: 0 };
  }
  recount(engine, mc, g);
  engine.touch('campaign', c.id);
  return g;
}

/** The engine's event for one of the group loop's timers. */
function timerEvent(campaignId: string, timer: number, id: number): SimEvent {
  if (timer === loop.TIMER_RING_END) return { type: 'DialerRingEnd', callId: id };
  if (timer === loop.TIMER_ABANDON) return { type: 'DialerAbandon', campaignId, callId: id };
  if (timer === loop.TIMER_COLLEAGUE_FREE) return { type: 'DialerColleagueFree', campaignId, colleague: id };
  if (timer === loop.TIMER_PACE) return { type: 'DialerPace', campaignId };
  throw new Error(`the desk runs no timer ${timer} of the group loop (Preview is the agent's own)`);
}

/** The engine as the group loop's port: its clock and queue, the group's saved random stream. */
class DeskPort implements loop.GroupPort {
  readonly now: number;
  readonly rates: loop.GroupRates;
  private r: Random | undefined;
  constructor(
    private readonly engine: Engine,
    private readonly c: Campaign,
    private readonly g: GroupDialer,
  ) {
    this.now = engine.now;
    this.rates = c.sim ?? DEFAULT_RATES;
  }
  get rnd(): Random {
    return (this.r ??= new Random(this.g.rng));
  }
  schedule(at: number, timer: number, id: number): void {
    this.engine.schedule(at, timerEvent(this.c.id, timer, id));
  }
  nextCallId(): number {
    return this.engine.mut.dialer.nextCallId++;
  }
  dialed(): void {
    this.c.figures!.attempts++;
  }
  /** Keeps the group's random stream where the draws left it (call when the loop is done). */
  done(): void {
    if (this.r) this.g.rng = this.r.state();
  }
}

const shiftEndOf = (g: GroupDialer) => g.startedAt + COLLEAGUE_SHIFT_MS;

// ---- the agents at desktops ------------------------------------------------------------------------

/**
 * The agents at desktops in this campaign's group now (logged in, no logout under way), in id
 * order: the people the dialer paces for, beside the simulated colleagues.
 */
function desksIn(engine: Engine, c: Campaign): string[] {
  return engine
    .loggedInAgents()
    .filter((a) => a.groupId === c.groupId && !a.session?.logout)
    .map((a) => a.id);
}

/** A line for an agent at a desktop may be dialed now: free (Predictive: or wrapping up), nothing ringing for them, no personal callback about to fall due. */
async function deskMayDial(engine: Engine, me: string, predictive: boolean): Promise<boolean> {
  if (engine.agentFreeForVoice(me, { inWrapUp: predictive }) !== me) return false;
  if (engine.state.dialer.inFlight.some((x) => x.agentId === me)) return false;
  return !(await heldForPersonalCallback(engine, me));
}

/** A personal callback of the agent falls due within two minutes: the dialer holds off them. */
export async function heldForPersonalCallback(engine: Engine, me: string): Promise<boolean> {
  const soon = engine.now + PERSONAL_CALLBACK_HOLD_MS;
  return (await engine.db.records.openPersonalCallbacks(me)).some((r) => r.dialSchedAt !== null && r.dialSchedAt <= soon);
}

// ---- figures ---------------------------------------------------------------------------------

/** Adds busy and logged-in agent time up to now. */
function accrue(f: CampaignLiveFigures, now: number): void {
  if (now <= f.at) return;
  f.busyMs += f.busyAgents * (now - f.at);
  f.loggedMs += f.loggedAgents * (now - f.at);
  f.at = now;
}

/** Who is busy and logged in from now on (after accrue). */
function recount(engine: Engine, c: Campaign, g: GroupDialer): void {
  const f = c.figures!;
  const desks = desksIn(engine, c);
  const busy = desks.filter((a) => engine.agentFreeForVoice(a) !== a).length;
  f.loggedAgents = g.colleaguesIn + desks.length;
  f.busyAgents = g.colleaguesIn - g.colleaguesFree + busy;
}

function deskStats(c: Campaign) {
  return (c.deskStats ??= { attempts: 0, liveAnswers: 0, abandoned: 0 });
}

// ---- the group loop at the desk ----------------------------------------------------------------

/** Wakes the group dialer of every running Progressive or Predictive campaign (something changed). */
export function wakeGroups(engine: Engine): void {
  // Only the process that owns the clock and the timers runs the dialer (not a script beside it).
  if (!engine.owner) return;
  for (const c of Object.values(engine.state.campaigns)) {
    if (c.status !== 'Started' || !pacedModeOf(c.dialingMode)) continue;
    const mc = engine.mut.campaigns[c.id];
    const g = groupOf(engine, mc);
    loop.wakeBy(g, new DeskPort(engine, mc, g), engine.now);
  }
}

/** The pacing decision of a campaign's group as it stands: what pacing.ts is asked (in a transaction). */
export async function groupPacingInput(engine: Engine, campaignId: string): Promise<PacingInput | null> {
  const c = engine.state.campaigns[campaignId];
  const mode = c && pacedModeOf(c.dialingMode);
  const g = engine.state.dialer.groups?.[campaignId];
  if (!mode || !g) return null;
  return (await inputOf(engine, c, g, mode)).input;
}

/**
 * The group as pacing sees it. The agents at desktops count while logged in to the group,
 * unless free with nothing of the calling list to dial (then the colleagues' lines would be
 * dialed for agents who cannot take their calls): `idleDesk` says so, after a look.
 */
async function inputOf(engine: Engine, c: Campaign, g: GroupDialer, mode: PacedMode, idleDesk = false): Promise<{ input: PacingInput; desks: string[]; mayDial: string[] }> {
  const desks = desksIn(engine, c);
  let deskRinging = 0;
  for (const x of engine.state.dialer.inFlight) if (x.campaignId === c.id) deskRinging++;
  let mayDial: string[] = [];
  for (const a of desks) if (await deskMayDial(engine, a, mode === 'predictive')) mayDial.push(a);
  // Nothing was dialable a moment ago: the next look is the next minute.
  if (mayDial.length > 0 && engine.now < (g.nothingDialableUntil ?? 0)) {
    mayDial = [];
    idleDesk = true;
  }
  const counts = desks.length > 0 && !(idleDesk && deskRinging === 0);
  const input = loop.paceInput(g, mode, {
    loggedIn: counts ? desks.length : 0,
    free: counts ? desks.filter((a) => engine.agentFreeForVoice(a) === a).length : 0,
    ringing: deskRinging,
  });
  return { input, desks, mayDial };
}

/** A pacing look (group-loop.ts), with the agents at desktops dialed first. */
async function pace(engine: Engine, campaignId: string): Promise<void> {
  const c = engine.mut.campaigns[campaignId];
  const mode = c && pacedModeOf(c.dialingMode);
  if (!c || c.status !== 'Started' || !mode) return;
  const g = groupOf(engine, c);
  const now = engine.now;
  const f = c.figures!;
  accrue(f, now);
  // The controller judges the group: the colleagues and the agents at desktops in it.
  loop.beginPace(g, now, mode, shiftEndOf(g), { target: c.targetAbandonRate ?? DEFAULT_TARGET_ABANDON, agents: g.colleagueState.length + desksIn(engine, c).length, whole: { live: f.liveAnswers, abandoned: f.abandoned } });
  const group = await inputOf(engine, c, g, mode);
  let n = linesToDial(group.input);
  const port = new DeskPort(engine, c, g);
  // The calling list is asked only when a line is to be dialed (an indexed query, not a scan):
  // a record for each agent at a desktop who may take one, the one Ready longest first.
  let dialedDesk = false;
  for (const agent of group.mayDial) {
    if (n <= 0) break;
    const rec = await nextDialableRecord(engine, c.id, engine.state.dialer.inFlight.map((x) => x.recordId));
    if (!rec) {
      g.nothingDialableUntil = (Math.floor(now / 60_000) + 1) * 60_000;
      n = linesToDial((await inputOf(engine, c, g, mode, true)).input);
      break;
    }
    const call = dialDesk(engine, c, agent, rec, port.rnd, port.rates.hitRate);
    await engine.emit('callDialled', deskCall(call));
    dialedDesk = true;
    n--;
  }
  loop.finishPace(g, port, mode, Math.max(0, n), shiftEndOf(g));
  port.done();
  recount(engine, c, g);
  engine.touch('campaign', c.id);
  if (!dialedDesk && g.colleaguesIn === 0 && group.desks.some((a) => engine.agentFreeForVoice(a) === a)) loop.wakeBy(g, port, Math.max(now + 1, g.nothingDialableUntil ?? now + NOTHING_DIALABLE_RETRY_MS));
}

/** A line dialled for an agent at a desktop, as the call log names it (D17, the dialer's call id). */
function deskCall(call: { id: number; campaignId: string; recordId: number; agentId: string | null }): CallEvent {
  return { callId: `D${call.id}`, recordId: call.recordId, campaignId: call.campaignId, agentId: call.agentId };
}

function dialDesk(engine: Engine, c: Campaign, me: string, rec: CallingListRecord, rnd: Random, hitRate: number): DialerCall {
  const d = engine.mut.dialer;
  const { result, ringSec } = drawCallOutcome(rnd, hitRate);
  rec.attempt += 1;
  rec.callAt = wholeSeconds(engine.now);
  engine.touch('record', rec.record_id);
  c.figures!.attempts++;
  deskStats(c).attempts++;
  const call = { id: d.nextCallId++, campaignId: c.id, recordId: rec.record_id, agentId: me, dialedAt: engine.now, ringEnd: loop.ringEndAt(engine.now, ringSec), result };
  d.inFlight.push(call);
  engine.schedule(call.ringEnd, { type: 'DialerRingEnd', callId: call.id });
  return call;
}

/**
 * A line of the desk agent's that a simulated colleague took: connected to nobody at a desk, and
 * logged whole now (the colleague's talk is decided as the call is taken).
 */
async function colleagueTookDeskCall(engine: Engine, call: CallEvent, result: number, talkMs: number): Promise<void> {
  const taken = { ...call, agentId: null, callResult: result };
  await engine.emit('callConnected', taken);
  await engine.emit('callEnded', { ...taken, at: engine.now + talkMs });
}

/**
 * A call the dialer placed that never reached the agent at the keyboard: the record takes its
 * call result and the treatment `sim` applies too (finished, or dialed again after the interval).
 */
function treat(engine: Engine, rec: CallingListRecord, result: CallResult, note?: string): void {
  rec.call_result = result;
  const t = treatCallResult(result, rec.attempt);
  if (t.finished) rec.record_status = RecordStatus.Updated;
  else rec.dialSchedAt = wholeSeconds(engine.now) + t.retryAfterSec * 1000;
  rec.treatments = [...rec.treatments, (t.finished ? `finished on ${result}` : `retry after ${t.retryAfterSec / 60} min on ${result}`) + (note ? ` (${note})` : '')];
  engine.touch('record', rec.record_id);
}

async function ringEnd(engine: Engine, callId: number): Promise<void> {
  const d = engine.mut.dialer;
  const desk = d.inFlight.find((x) => x.id === callId);
  let campaignId: string | undefined;
  let dialedAt: number;
  let result: number;
  if (desk) {
    d.inFlight = d.inFlight.filter((x) => x.id !== callId);
    ({ campaignId, dialedAt, result } = desk);
  } else {
    let line: ReturnType<typeof loop.takeLine>;
    for (const [id, g] of Object.entries(d.groups ?? {})) {
      line = loop.takeLine(g, callId);
      if (line) {
        campaignId = id;
        break;
      }
    }
    if (!line || campaignId === undefined) return;
    ({ dialedAt, result } = line);
  }
  const c = engine.mut.campaigns[campaignId];
  const g = d.groups?.[campaignId];
  const rec = desk ? await engine.record(desk.recordId) : undefined;
  const call = desk && rec ? deskCall(desk) : null;
  if (!c || !g || !c.figures) {
    if (rec) treat(engine, rec, result as CallResult);
    if (call) await engine.emit('callEnded', { ...call, callResult: result });
    return;
  }
  accrue(c.figures, engine.now);
  // The agent must be there and free: a call still being delivered during a negotiated
  // logout is delivered all the same (the logout waits for it).
  const deskTakes = desk !== undefined && rec !== undefined && engine.agentFreeForVoice(desk.agentId, { duringLogout: true }) === desk.agentId;
  const port = new DeskPort(engine, c, g);
  const taken: loop.Taken = { colleague: -1, talkMs: 0 };
  const to = loop.ringEnd(g, port, { id: callId, dialedAt, result }, deskTakes, rec?.record_id ?? null, taken);
  port.done();
  if (to === loop.RING_NOT_LIVE) {
    if (rec) treat(engine, rec, result as CallResult);
    if (call) await engine.emit('callEnded', { ...call, callResult: result });
  } else {
    c.figures.liveAnswers++;
    if (desk) deskStats(c).liveAnswers++;
    if (to === loop.ANSWER_TO_DIALED_FOR) {
      await putRecordOnDesk(engine, rec!, { agentId: desk!.agentId, origin: 'Dialer', state: 'connected', callResult: result as CallResult, connectedAt: engine.now, callId: deskCall(desk!).callId });
    } else if (to === loop.ANSWER_TO_FREE_AGENT) {
      if (rec) treat(engine, rec, result as CallResult, 'a colleague took the call');
      if (call) await colleagueTookDeskCall(engine, call, result, taken.talkMs);
    }
  }
  recount(engine, c, g);
  engine.touch('campaign', c.id);
  loop.wakeBy(g, port, engine.now);
}

async function abandon(engine: Engine, campaignId: string, callId: number): Promise<void> {
  const g = engine.mut.dialer.groups?.[campaignId];
  const c = engine.mut.campaigns[campaignId];
  if (!g || !c?.figures) return;
  const w = loop.abandon(g, new DeskPort(engine, c, g), callId);
  if (!w) return;
  c.figures.abandoned++;
  if (w.recordId !== null) {
    deskStats(c).abandoned++;
    const rec = await engine.record(w.recordId);
    if (rec) {
      treat(engine, rec, CallResult.Abandoned);
      await engine.emit('callEnded', { ...deskCall({ id: w.callId, campaignId, recordId: rec.record_id, agentId: rec.agent_id }), callResult: CallResult.Abandoned });
    }
  }
  engine.touch('campaign', c.id);
}

async function colleagueFree(engine: Engine, campaignId: string, i: number): Promise<void> {
  const g = engine.mut.dialer.groups?.[campaignId];
  const c = engine.mut.campaigns[campaignId];
  if (!g || !c?.figures || g.colleagueState[i] !== 1) return;
  const now = engine.now;
  accrue(c.figures, now);
  const port = new DeskPort(engine, c, g);
  const taken: loop.Taken = { colleague: -1, talkMs: 0 };
  const w = loop.colleagueFree(g, port, i, shiftEndOf(g), taken);
  port.done();
  if (w && w.recordId !== null) {
    const rec = await engine.record(w.recordId);
    if (rec) {
      treat(engine, rec, w.result as CallResult, 'a colleague took the call');
      await colleagueTookDeskCall(engine, deskCall({ id: w.callId, campaignId, recordId: rec.record_id, agentId: null }), w.result, taken.talkMs);
    }
  }
  recount(engine, c, g);
  engine.touch('campaign', c.id);
  loop.wakeBy(g, port, now);
}

export function registerGroupDialer(engine: Engine): void {
  engine.onTimer('DialerPace', async (ev) => {
    const g = engine.mut.dialer.groups?.[ev.campaignId];
    if (g) loop.wakesSpent(g, engine.now);
    await pace(engine, ev.campaignId);
  });
  engine.onTimer('DialerRingEnd', (ev) => ringEnd(engine, ev.callId));
  engine.onTimer('DialerAbandon', (ev) => abandon(engine, ev.campaignId, ev.callId));
  engine.onTimer('DialerColleagueFree', (ev) => colleagueFree(engine, ev.campaignId, ev.colleague));
  // The agent at the keyboard became free, busy or left: the groups pace again now.
  const onDesk = () => wakeGroups(engine);
  engine.on('agentLoggedIn', onDesk);
  engine.on('agentLoggedOut', onDesk);
  engine.on('agentStatusChanged', onDesk);
  engine.on('interactionDone', onDesk);
  engine.on('externalChange', onDesk);
  engine.on('timerFired', (ev) => {
    if (ev.type === 'CampaignStart' || ev.type === 'LogoutAuthorized') wakeGroups(engine);
  });
}

// ---- My Campaigns ------------------------------------------------------------------------------

export interface CampaignFigures {
  attempts: number;
  liveAnswers: number;
  abandoned: number;
  abandonRate: number;
  /** Busy share of the campaign's agents' logged-in time. */
  occupancy: number;
  abandonRateLastHour: number;
}

/**
 * The live figures of a running campaign, as the group dialer keeps them: a read of the
 * counters (plus the agent time since the last call ended), never a simulation.
 */
export function campaignFigures(engine: Engine, campaignId: string): CampaignFigures | null {
  const c = engine.state.campaigns[campaignId];
  const f = c?.figures;
  if (!c || c.status !== 'Started' || !f || f.since !== c.startedAt) return null;
  const dt = Math.max(0, engine.now - f.at);
  const busy = f.busyMs + f.busyAgents * dt;
  const logged = f.loggedMs + f.loggedAgents * dt;
  const g = engine.state.dialer.groups?.[campaignId];
  let lastHour = 0;
  if (g && g.startedAt === c.startedAt) {
    const m = loop.minuteOf(g.startedAt, engine.now);
    lastHour = abandonRate(ringSums(g, m - 60, m));
  }
  return {
    attempts: f.attempts,
    liveAnswers: f.liveAnswers,
    abandoned: f.abandoned,
    abandonRate: abandonRate({ live: f.liveAnswers, abandoned: f.abandoned }),
    occupancy: logged > 0 ? Math.min(1, busy / logged) : 0,
    abandonRateLastHour: lastHour,
  };
}

// This feature's timers, in the engine's one event queue (world.ts).
declare module '../world.js' {
  interface SimEventMap {
    DialerRingEnd: { callId: number };
    /** A pacing wake-up of a campaign's group dialer (something changed, or the controller's step). */
    DialerPace: { campaignId: string };
    /** An answered call still waiting for an agent 2 seconds on: abandoned unless taken. */
    DialerAbandon: { campaignId: string; callId: number };
    /** A simulated colleague of the group has finished a call (talk and wrap-up). */
    DialerColleagueFree: { campaignId: string; colleague: number };
  }
}
