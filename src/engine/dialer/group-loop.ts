// Long on purpose: every handler of a group's timers in one file, the one loop both drivers run.
import { CallResult } from '../domain.js';
import { Random } from '../random.js';
import { ABANDON_AFTER_SEC, drawCallOutcome, type CallOutcome } from './call-model.js';
import type { GroupDialer, GroupLine, WaitingCall } from './group-state.js';
import { learnHandle, learnRingEnd, learnedInto, linesToDial, newPacingStats, settleCohorts, steer, STEER_EVERY_SEC, type PacedMode, type PacingInput } from './pacing.js';
import { ANSWER_TO_DIALED_FOR, ANSWER_TO_FREE_AGENT, ANSWER_WAITS, countInRing, drawAgentPace, drawTalkSec, drawWrapSec, isLiveAnswer, ringSums, rollRing, routeAnswer, steerInputOf, type AnswerCounts } from './group-model.js';

/**
 * The one dialer simulation: a campaign's group (simulated agents, "colleagues", and the lines
 * the dialer places for them) as one sequence of events, whoever runs it. The desk runs it on the
 * engine's event queue with the agents at desktops beside the colleagues (group-dialer.ts); `sim`,
 * `npm run bench` and the demo world's first figures run it on a heap of their own, fast
 * (campaign-sim.ts). Each handler here is what happens at one of the group's timers: a line
 * rings out, an answered call waits too long, a colleague ends a call, pacing looks again. The
 * drivers keep only what is theirs: their clock and queue (GroupPort), the figures they report,
 * and at the desk the agents at desktops and their records (async, through the store), which
 * the handlers take as arguments and answer with a route.
 *
 * Times are epoch (or run) milliseconds; the group's state is plain data (group-state.ts), saved
 * with the world at the desk.
 */

/** Answering-machine detection adds this much before a call is known to be live. */
export const ANSWER_DETECTION_MS = 2_000;
/** Abandoned: a live answer not connected to an agent within 2 seconds (US/UK rules). */
export const ABANDON_AFTER_MS = ABANDON_AFTER_SEC * 1000;
/** With nothing contactable to dial, pacing looks again at the next minute. */
const MINUTE_MS = 60_000;

/** The group's timers, each with a number: a line's call id, or a colleague's index. */
export const TIMER_RING_END = 0;
export const TIMER_ABANDON = 1;
export const TIMER_COLLEAGUE_FREE = 2;
export const TIMER_PACE = 3;
export const TIMER_PREVIEW_END = 4;

/** Mean talk and wrap-up seconds of the colleagues, and the share of dials a live person answers. */
export interface GroupRates {
  hitRate: number;
  talkSec: number;
  wrapSec: number;
}

/** What a driver lends the loop: its clock, random stream, queue and call ids. */
export interface GroupPort {
  /** Now, in ms (the driver sets it before each handler). */
  now: number;
  rnd: Random;
  rates: GroupRates;
  /** Queues one of the group's timers at `at` (ms); equal instants run in the order queued. */
  schedule(at: number, timer: number, id: number): void;
  /** A call id for a new line. */
  nextCallId(): number;
  /**
   * The record a colleagues' line dials: -1 when none is contactable now (the line is not
   * dialed); absent for a generated list, always contactable (the desk's colleagues).
   */
  pickRecord?(now: number): number;
  /** A line was dialed (the driver counts it). */
  dialed?(line: GroupLine): void;
}

/** A new group of `colleagues` simulated agents, at `now`, for the campaign start `startedAt`. */
export function newGroup(colleagues: number, rnd: Random, startedAt: number, now: number): GroupDialer {
  return {
    startedAt,
    rng: rnd.state(),
    colleagueState: new Array(colleagues).fill(0),
    colleaguePace: Array.from({ length: colleagues }, () => drawAgentPace(rnd)),
    colleagueBusySince: new Array(colleagues).fill(0),
    colleaguesFree: colleagues,
    colleaguesIn: colleagues,
    lines: [],
    waiting: [],
    stats: newPacingStats(Math.floor(now / 1000), () => new Array(64).fill(0)),
    minuteLive: new Array(64).fill(0),
    minuteAbandoned: new Array(64).fill(0),
    minute: minuteOf(startedAt, now),
    lastSteerAt: now,
    wakes: [],
  };
}

// ---- what makes a large group fast ------------------------------------------------------------
//
// Derived from the saved state, never saved with it (a group read back from the store starts
// without them and they are rebuilt): where each ringing line is in `lines`, and an index below
// which no colleague is free, so a call goes to the first free colleague without a scan of
// thousands of busy ones.

interface Speedups {
  lines: GroupLine[];
  linePos: Map<number, number>;
  /** No colleague below this index is free. */
  freeFrom: number;
}
/** A symbol-keyed property: JSON and structuredClone leave it out, so it is never saved. */
const SPEEDUPS = Symbol('group speedups');
type WithSpeedups = GroupDialer & { [SPEEDUPS]?: Speedups };

function speedupsOf(g: GroupDialer): Speedups {
  let x = (g as WithSpeedups)[SPEEDUPS];
  if (!x || x.lines !== g.lines) {
    const linePos = new Map<number, number>();
    for (let i = 0; i < g.lines.length; i++) linePos.set(g.lines[i].id, i);
    x = { lines: g.lines, linePos, freeFrom: 0 };
    Object.defineProperty(g, SPEEDUPS, { value: x, writable: true, configurable: true, enumerable: false });
  }
  return x;
}

/** Colleague i is free again: the first free one may now be i. */
function freed(g: GroupDialer, i: number): void {
  const x = speedupsOf(g);
  if (i < x.freeFrom) x.freeFrom = i;
}

/** The free colleague with the lowest index (there is one: colleaguesFree > 0). */
function firstFree(g: GroupDialer): number {
  const x = speedupsOf(g);
  const st = g.colleagueState;
  let i = x.freeFrom;
  while (i < st.length && st[i] !== 0) i++;
  if (i === st.length) throw new Error(`the group counts ${g.colleaguesFree} colleagues free and none is`);
  x.freeFrom = i + 1;
  return i;
}

/** The minute of the campaign start a group counts its answers in. */
export const minuteOf = (startedAt: number, t: number) => Math.floor((t - startedAt) / 60_000);

/** When a line dialed now with this ring is known: rung out, or answered and detected live. */
export function ringEndAt(now: number, ringSec: number): number {
  return now + Math.round(ringSec * 1000) + ANSWER_DETECTION_MS;
}

// ---- pacing ----------------------------------------------------------------------------------

/**
 * Makes sure pacing runs again by `at`: queues a look there unless one is queued between now
 * and then (each look asks again for what it still needs, so none is lost).
 */
export function wakeBy(g: GroupDialer, port: GroupPort, at: number): void {
  const now = port.now;
  for (let i = 0; i < g.wakes.length; i++) if (g.wakes[i] >= now && g.wakes[i] <= at) return;
  g.wakes.push(at);
  port.schedule(at, TIMER_PACE, 0);
}

/** A pacing look is starting at `now`: the wake-ups up to now are spent. */
export function wakesSpent(g: GroupDialer, now: number): void {
  const w = g.wakes;
  let k = 0;
  for (let i = 0; i < w.length; i++) if (w[i] > now) w[k++] = w[i];
  if (k !== w.length) w.length = k;
}

/** The colleagues' shift is over: the free ones leave now, the busy ones when their call ends. */
export function endShift(g: GroupDialer, now: number, shiftEnd: number): void {
  if (now < shiftEnd) return;
  for (let i = 0; i < g.colleagueState.length; i++) {
    if (g.colleagueState[i] !== 0) continue;
    g.colleagueState[i] = 2;
    g.colleaguesFree--;
    g.colleaguesIn--;
  }
}

/**
 * The first half of a pacing look: the shift, the learned hit rate and (Predictive, each
 * STEER_EVERY_SEC) the controller, which reads the group's answers by minute and `whole`, the
 * campaign's answers so far; `agents` is the group's size the controller judges by.
 */
export function beginPace(g: GroupDialer, now: number, mode: PacedMode, shiftEnd: number, steering: { target: number; agents: number; whole: AnswerCounts }): void {
  endShift(g, now, shiftEnd);
  if (mode !== 'predictive') return;
  settleCohorts(g.stats, Math.floor(now / 1000));
  if (now - g.lastSteerAt >= STEER_EVERY_SEC * 1000) {
    g.lastSteerAt = now;
    const m = rollRing(g, minuteOf(g.startedAt, now));
    g.stats.k = steer(g.stats.k, steerInputOf(steering.target, steering.agents, steering.whole, m, (from, to) => ringSums(g, from, to)));
  }
}

/** Agents at desktops beside the colleagues, as pacing counts them. */
export interface DeskCounts {
  loggedIn: number;
  free: number;
  ringing: number;
}

const NO_DESKS: DeskCounts = { loggedIn: 0, free: 0, ringing: 0 };

/**
 * The group as pacing sees it (pacing.ts): the colleagues still on shift and the agents at
 * desktops. `into` is filled and returned (the fast driver allocates nothing per look).
 */
export function paceInput(g: GroupDialer, mode: PacedMode, desks: DeskCounts = NO_DESKS, into?: PacingInput): PacingInput {
  const p = into ?? { mode, loggedIn: 0, free: 0, waiting: 0, ringing: 0, hitRate: 0, ringLiveSec: 0, handleSec: 0, k: 0 };
  p.mode = mode;
  p.loggedIn = g.colleaguesIn + desks.loggedIn;
  p.free = g.colleaguesFree + desks.free;
  p.waiting = g.waiting.length;
  p.ringing = g.lines.length + desks.ringing;
  return learnedInto(p, g.stats);
}

/** Lines to dial now for the group (pacing.ts, the one decision). */
export function linesFor(g: GroupDialer, mode: PacedMode, desks: DeskCounts = NO_DESKS, into?: PacingInput): number {
  return linesToDial(paceInput(g, mode, desks, into));
}

/** One attempt's drawn outcome, reused (the fast driver draws millions). */
const drawn: CallOutcome = { result: CallResult.Unknown, ringSec: 0 };

/**
 * The second half of a pacing look: up to `n` lines for the colleagues (while one is on shift
 * to take their answers), then the next looks queued. Returns the lines dialed.
 */
export function finishPace(g: GroupDialer, port: GroupPort, mode: PacedMode, n: number, shiftEnd: number): number {
  const now = port.now;
  let dialed = 0;
  if (g.colleaguesIn > 0 && now < shiftEnd) {
    for (; dialed < n; dialed++) if (!dialLine(g, port, -1)) break;
  }
  if (mode === 'predictive') wakeBy(g, port, now + STEER_EVERY_SEC * 1000);
  if (g.colleaguesIn > 0 && shiftEnd > now && Number.isFinite(shiftEnd)) wakeBy(g, port, shiftEnd);
  if (port.pickRecord && g.colleaguesFree > 0 && (g.nothingDialableUntil ?? 0) > now) wakeBy(g, port, g.nothingDialableUntil!);
  return dialed;
}

/**
 * Dials a line for the colleagues (`owner` -1) or for one colleague who previewed it. False when
 * the list has nothing contactable now (looked at again next minute).
 */
function dialLine(g: GroupDialer, port: GroupPort, owner: number): boolean {
  const now = port.now;
  let record: number | undefined;
  if (port.pickRecord) {
    // The list had nothing contactable a moment ago: the next look is the next minute (a look
    // walks the list: not one per line or per colleague).
    if (now < (g.nothingDialableUntil ?? 0)) return false;
    record = port.pickRecord(now);
    if (record < 0) {
      g.nothingDialableUntil = (Math.floor(now / MINUTE_MS) + 1) * MINUTE_MS;
      return false;
    }
  }
  drawCallOutcome(port.rnd, port.rates.hitRate, drawn);
  // One shape for every line (the fast driver's ring ends stay monomorphic); the saved world
  // drops the fields left undefined.
  const line: GroupLine = { id: port.nextCallId(), dialedAt: now, ringEnd: ringEndAt(now, drawn.ringSec), result: drawn.result, recordId: record, owner: owner >= 0 ? owner : undefined };
  speedupsOf(g).linePos.set(line.id, g.lines.length);
  g.lines.push(line);
  port.dialed?.(line);
  port.schedule(line.ringEnd, TIMER_RING_END, line.id);
  return true;
}

/** The colleagues' line with this call id, taken off the ringing lines; undefined if not theirs. */
export function takeLine(g: GroupDialer, callId: number): GroupLine | undefined {
  const { linePos } = speedupsOf(g);
  const i = linePos.get(callId);
  if (i === undefined) return undefined;
  // The last line takes its place: the order of the ringing lines means nothing.
  const lines = g.lines;
  const line = lines[i];
  const last = lines.pop()!;
  linePos.delete(callId);
  if (last !== line) {
    lines[i] = last;
    linePos.set(last.id, i);
  }
  return line;
}

// ---- a line rings out ----------------------------------------------------------------------

/** A line rang out with no live person: the result is final. */
export const RING_NOT_LIVE = -1;
export { ANSWER_TO_DIALED_FOR, ANSWER_TO_FREE_AGENT, ANSWER_WAITS };

/** The colleague who took the last call a handler connected, and the talk's length (ms). */
export interface Taken {
  colleague: number;
  talkMs: number;
}

/**
 * A line has rung out (taken off the ringing lines by the driver): the hit rate learns it, and a
 * live answer goes where routeAnswer says. `dialedForTakes`: the agent it was dialed for is there
 * to take it (a desk agent still free; a previewing colleague always). Returns RING_NOT_LIVE or
 * the route; `taken` says who took it when a colleague did (ANSWER_TO_FREE_AGENT, or
 * ANSWER_TO_DIALED_FOR on a colleague's own line). A waiting call's abandon is queued here.
 */
export function ringEnd(g: GroupDialer, port: GroupPort, line: { id: number; dialedAt: number; result: number; owner?: number }, dialedForTakes: boolean, recordId: number | null, taken: Taken): number {
  const now = port.now;
  const live = isLiveAnswer(line.result);
  learnRingEnd(g.stats, Math.floor(line.dialedAt / 1000), live, (now - line.dialedAt) / 1000);
  const owner = line.owner ?? -1;
  if (!live) {
    // A previewing colleague: a short wrap-up, then the next record.
    if (owner >= 0) port.schedule(now + Math.round(5_000 * g.colleaguePace[owner]), TIMER_COLLEAGUE_FREE, owner);
    return RING_NOT_LIVE;
  }
  countInRing(g, minuteOf(g.startedAt, now), false);
  const to = routeAnswer(dialedForTakes || owner >= 0, g.colleaguesFree);
  if (to === ANSWER_TO_DIALED_FOR) {
    if (owner >= 0) {
      taken.colleague = owner;
      taken.talkMs = talkAndWrap(g, port, owner, line.result);
    }
  } else if (to === ANSWER_TO_FREE_AGENT) {
    colleagueTakes(g, port, line.result, taken);
  } else {
    // Nobody free: it waits 2 seconds for an agent, then it is abandoned.
    g.waiting.push({ callId: line.id, answeredAt: now, recordId, result: line.result });
    port.schedule(now + ABANDON_AFTER_MS, TIMER_ABANDON, line.id);
  }
  return to;
}

/** The first free colleague takes an answered call: busy for its talk and wrap-up. */
function colleagueTakes(g: GroupDialer, port: GroupPort, result: number, taken: Taken): void {
  const i = firstFree(g);
  g.colleagueState[i] = 1;
  g.colleagueBusySince[i] = port.now;
  g.colleaguesFree--;
  taken.colleague = i;
  taken.talkMs = talkAndWrap(g, port, i, result);
}

/** Draws a colleague's talk and wrap-up on a call and queues their end of it; returns the talk (ms). */
function talkAndWrap(g: GroupDialer, port: GroupPort, i: number, result: number): number {
  const p = g.colleaguePace[i];
  const talk = drawTalkSec(port.rnd, result, port.rates.talkSec, p);
  const wrap = drawWrapSec(port.rnd, port.rates.wrapSec, p);
  port.schedule(port.now + Math.round((talk + wrap) * 1000), TIMER_COLLEAGUE_FREE, i);
  return Math.round(talk * 1000);
}

/** An answered call waited its 2 seconds with no agent: abandoned. Returns it, or null if it was taken. */
export function abandon(g: GroupDialer, port: GroupPort, callId: number): WaitingCall | null {
  const i = g.waiting.findIndex((w) => w.callId === callId);
  if (i < 0) return null;
  const [w] = g.waiting.splice(i, 1);
  countInRing(g, minuteOf(g.startedAt, port.now), true);
  return w;
}

// ---- a colleague ends a call ------------------------------------------------------------------

/**
 * A colleague has ended a call (talk and wrap-up, or a preview): the handle time is learned;
 * after the shift they leave, else they are free and take the call waiting longest, if any.
 * Returns that call (`taken` says its talk), null when none waited; undefined if the colleague
 * was not busy (a stale timer).
 */
export function colleagueFree(g: GroupDialer, port: GroupPort, i: number, shiftEnd: number, taken: Taken): WaitingCall | null | undefined {
  if (g.colleagueState[i] !== 1) return undefined;
  const now = port.now;
  learnHandle(g.stats, (now - g.colleagueBusySince[i]) / 1000);
  if (now >= shiftEnd) {
    g.colleagueState[i] = 2;
    g.colleaguesIn--;
    return null;
  }
  g.colleagueState[i] = 0;
  g.colleaguesFree++;
  freed(g, i);
  // A waiting answered call goes to a free colleague at once (it is still within its 2 seconds).
  const w = g.waiting.shift();
  if (!w) return null;
  colleagueTakes(g, port, w.result, taken);
  return w;
}

// ---- Preview and Push Preview: each colleague dials for themselves ---------------------------

/** A free colleague opens the next record: busy reading it (Push Preview: a little faster). */
export function previewNext(g: GroupDialer, port: GroupPort, i: number, push: boolean): void {
  if (g.colleagueState[i] !== 0) return;
  g.colleagueState[i] = 1;
  g.colleagueBusySince[i] = port.now;
  g.colleaguesFree--;
  const read = push ? 6 + 6 * port.rnd.next() : 8 + 10 * port.rnd.next();
  port.schedule(port.now + Math.round(read * 1000), TIMER_PREVIEW_END, i);
}

/**
 * The colleague has read the record: they dial it (Push Preview: 5% are declined, and the next
 * is pushed a second later). With nothing contactable, they look again next minute; after
 * their shift they leave.
 */
export function previewEnd(g: GroupDialer, port: GroupPort, i: number, push: boolean, shiftEnd: number): void {
  if (port.now >= shiftEnd) {
    // The shift ended while they read it: they leave without dialing.
    g.colleagueState[i] = 2;
    g.colleaguesIn--;
    return;
  }
  if (push && port.rnd.next() < 0.05) {
    port.schedule(port.now + 1000, TIMER_COLLEAGUE_FREE, i);
    return;
  }
  if (!dialLine(g, port, i)) port.schedule(g.nothingDialableUntil!, TIMER_COLLEAGUE_FREE, i);
}
