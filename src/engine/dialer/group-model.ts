import { CallResult } from '../domain.js';
import type { Random } from '../random.js';
import { isSmallGroup, RECENT_MINUTES, type SteerInput } from './pacing.js';

/**
 * What happens in a campaign's group, the parts the one group loop (group-loop.ts) is made of:
 * how many lines to dial and the controller (pacing.ts), each attempt's outcome and the abandon
 * window (call-model.ts), what a call result does to its record (call-treatment.ts); here, the
 * rest: an agent's pace, talk and wrap-up, where a live answer goes, and the controller's view
 * of the group's answers by minute. The loop runs at the desk (group-dialer.ts, the engine's
 * event queue) and in `sim` (campaign-sim.ts, a heap of its own); neither keeps a copy of any of
 * these, and tests/engine/one-dialer-loop.test.ts shows both place the same calls.
 */

// ---- the group's agents ------------------------------------------------------------------------

/** A simulated agent's personal pace: their talk and wrap-up scale by it (0.85 to 1.15). */
export function drawAgentPace(rnd: Random): number {
  return 0.85 + 0.3 * rnd.next();
}

/** Seconds an agent talks on a connected call: a wrong party is over in 10 to 30 seconds. */
export function drawTalkSec(rnd: Random, result: number, meanTalkSec: number, pace: number): number {
  return result === CallResult.WrongParty ? 10 + 20 * rnd.next() : rnd.exponential(meanTalkSec * pace);
}

/** Seconds of wrap-up after a call: 70% to 130% of the agent's paced mean. */
export function drawWrapSec(rnd: Random, meanWrapSec: number, pace: number): number {
  return meanWrapSec * pace * (0.7 + 0.6 * rnd.next());
}

// ---- a live answer ---------------------------------------------------------------------------

/** A live person answered (the right one or not): the call needs an agent. */
export function isLiveAnswer(result: number): boolean {
  return result === CallResult.Answer || result === CallResult.WrongParty;
}

/** Where a live answer goes (routeAnswer). */
export const ANSWER_TO_DIALED_FOR = 0;
export const ANSWER_TO_FREE_AGENT = 1;
export const ANSWER_WAITS = 2;

/**
 * Where a live answer goes: to the agent the line was dialed for when they take it (the agent
 * who placed it in Preview; the agent at a desktop while still free), else to a free agent of
 * the group at once, else it waits for the next agent to come free, at most ABANDON_AFTER_SEC
 * (call-model.ts) before it is abandoned.
 */
export function routeAnswer(dialedForTakes: boolean, freeAgents: number): number {
  if (dialedForTakes) return ANSWER_TO_DIALED_FOR;
  return freeAgents > 0 ? ANSWER_TO_FREE_AGENT : ANSWER_WAITS;
}

// ---- the group's answers by minute -------------------------------------------------------------

/** Live answers and abandons of some minutes. */
export interface AnswerCounts {
  live: number;
  abandoned: number;
}

/** Abandoned calls per live answer (0 before any answer). */
export function abandonRate(c: AnswerCounts): number {
  return c.live > 0 ? c.abandoned / c.live : 0;
}

/** Sums the minutes from..to (inclusive) of a run's answers, however a driver keeps them. */
export type MinuteSums = (from: number, to: number) => AnswerCounts;

/** Every minute of a run, from its first (`sim` keeps them all, for its hourly and 30-day figures). */
export function wholeRunSums(live: ArrayLike<number>, abandoned: ArrayLike<number>): MinuteSums {
  return (from, to) => {
    let l = 0;
    let ab = 0;
    for (let i = Math.max(0, from); i <= to; i++) {
      l += live[i];
      ab += abandoned[i];
    }
    return { live: l, abandoned: ab };
  };
}

/**
 * The last 64 minutes in a ring (index minute & 63): what the desk saves with each group, enough
 * for the controller's windows and the last hour, whatever the run's length.
 */
export interface MinuteRing {
  minuteLive: number[];
  minuteAbandoned: number[];
  /** The last minute written. */
  minute: number;
}

/** Moves the ring on to minute `m`, clearing the minutes skipped; returns m. */
export function rollRing(r: MinuteRing, m: number): number {
  if (m > r.minute) {
    const from = Math.max(r.minute + 1, m - 63);
    for (let i = from; i <= m; i++) {
      r.minuteLive[i & 63] = 0;
      r.minuteAbandoned[i & 63] = 0;
    }
    r.minute = m;
  }
  return m;
}

/** Counts a live answer, or an abandon (of a live answer counted before), at minute `m`. */
export function countInRing(r: MinuteRing, m: number, abandoned: boolean): void {
  rollRing(r, m);
  (abandoned ? r.minuteAbandoned : r.minuteLive)[m & 63]++;
}

/** The ring's minutes from..to (inclusive); those older than it holds count nothing. */
export function ringSums(r: MinuteRing, from: number, to: number): AnswerCounts {
  let live = 0;
  let abandoned = 0;
  for (let i = Math.max(from, r.minute - 63, 0); i <= Math.min(to, r.minute); i++) {
    live += r.minuteLive[i & 63];
    abandoned += r.minuteAbandoned[i & 63];
  }
  return { live, abandoned };
}

/**
 * What the controller (pacing.ts steer) reads at minute `m` of a run: the abandon rate over the
 * whole run, over the last RECENT_MINUTES minutes, and the answers of the hour so far.
 */
export function steerInputOf(target: number, agents: number, whole: AnswerCounts, m: number, sums: MinuteSums): SteerInput {
  const recent = sums(m - RECENT_MINUTES, m);
  const hour = sums(m - (m % 60), m);
  return { target, smallGroup: isSmallGroup(agents), whole: abandonRate(whole), recent: abandonRate(recent), hourLive: hour.live, hourAbandoned: hour.abandoned };
}
