import { NO_ANSWER_RING_SEC } from './call-model.js';

/**
 * The dialer's pacing model, asked by the one group loop (group-loop.ts) that `sim` and the desk run:
 * how many lines to dial now from the live statistics of a campaign's group, how the hit rate
 * is learned, and how the controller steers the aggressiveness to keep the abandon rate under
 * the campaign's target. Plain functions over plain data: the simulation keeps the statistics in
 * typed arrays, the desk in the saved world (JSON), and both ask the same questions here.
 */

export type PacedMode = 'progressive' | 'predictive';

/** What the pacing decision reads at one instant. */
export interface PacingInput {
  mode: PacedMode;
  /** Agents of the group logged in, and of them free now. */
  loggedIn: number;
  free: number;
  /** Answered calls waiting for an agent (at most 2 seconds before they are abandoned). */
  waiting: number;
  /** Calls dialed that have not yet rung out (answered, failed or given up). */
  ringing: number;
  /** Learned share of dials answered by a live person (learnedHitRate). */
  hitRate: number;
  /** Mean seconds from dial to a live answer. */
  ringLiveSec: number;
  /** Mean seconds an agent is busy with a call (talk and wrap-up). */
  handleSec: number;
  /** Aggressiveness: expected live answers aimed at per expected free agent (steer). */
  k: number;
}

/**
 * Lines to dial now. Progressive: one call per free agent, never more in flight than agents
 * free. Predictive: the agents expected free by the time a dial would be answered (free now,
 * plus busy ones whose call ends within the ring time), times the aggressiveness, less what the
 * calls already ringing will bring, over the hit rate; at most three lines per agent.
 */
export function linesToDial(p: PacingInput): number {
  if (p.loggedIn === 0) return 0;
  if (p.mode === 'progressive') return Math.max(0, p.free - p.ringing - p.waiting);
  const busy = p.loggedIn - p.free;
  const avail = p.free - p.waiting + busy * (1 - Math.exp(-p.ringLiveSec / p.handleSec));
  const n = Math.floor((avail * p.k - p.ringing * p.hitRate) / p.hitRate);
  const maxDial = 3 * p.loggedIn;
  return Math.max(0, n > maxDial ? maxDial : n);
}

/** Seconds between two steps of the controller. */
export const STEER_EVERY_SEC = 30;
/** The controller's short window, in minutes. */
export const RECENT_MINUTES = 15;
/** Every run starts cautious (a ramp): the controller raises the pace as the figures allow. */
export const K_START = 0.5;
const K_MAX = 1.6;

/**
 * Small groups see large swings in who is free (predictive is meant for about 15 agents or
 * more), so they start lower and may back off further, towards progressive pacing.
 */
export function isSmallGroup(agents: number): boolean {
  return agents < 40;
}

/** What the controller steers on at one step. */
export interface SteerInput {
  /** Abandoned calls allowed per live answer (0.03 = 3%). */
  target: number;
  smallGroup: boolean;
  /** Abandon rate over the whole run (what the regulator measures). */
  whole: number;
  /** Over the last RECENT_MINUTES minutes. */
  recent: number;
  /** Live answers and abandons in the hour so far: the rate must hold in every hour. */
  hourLive: number;
  hourAbandoned: number;
}

/**
 * One step of the controller: keep the abandon rate under target with a margin, steering on the
 * last 15 minutes and, harder, on the whole run and on the hour so far.
 */
export function steer(k: number, s: SteerInput): number {
  // A small group's hour holds few answers: each abandon weighs more, so it aims lower.
  const hourCap = s.target * (s.smallGroup ? 0.3 : 0.7);
  const hourHot = s.hourLive > 0 && (s.hourAbandoned + 1) / (s.hourLive + 1) > hourCap;
  const goal = s.target * 0.6;
  if (s.whole > s.target * 0.85 || s.recent > s.target || hourHot) k *= s.smallGroup ? 0.85 : 0.9;
  else if (s.recent > goal) k *= 0.98;
  else k *= 1.02;
  const floor = s.smallGroup ? 0.15 : 0.5;
  if (k < floor) k = floor;
  if (k > K_MAX) k = K_MAX;
  return k;
}

// ---- the learned statistics -------------------------------------------------------------------

/** Counts by dial second modulo 64 (a Float64Array in `sim`, a plain array in the saved world). */
export type CohortCounts = { [i: number]: number; length: number };

/** The live statistics pacing reads, with weak priors. */
export interface PacingStats {
  /** Settled dials and live answers among them (the hit rate). */
  completed: number;
  live: number;
  /** Dials not yet settled, by dial second & 63. */
  cohortAll: CohortCounts;
  cohortLive: CohortCounts;
  /** Every dial second before this one is settled. */
  settledUpTo: number;
  ringLiveSum: number;
  ringLiveN: number;
  handleSum: number;
  handleN: number;
  /** Aggressiveness (steer). */
  k: number;
}

/**
 * The hit rate is learned from whole cohorts of dials: the calls dialed in one second are
 * counted once every one of them has rung out (at most 30 s). Counting calls as they end would
 * see the quick busy and SIT results first and, at the start, a hit rate near zero: the dialer
 * would then flood the agents.
 */
export const COHORT_SETTLED_SEC = NO_ANSWER_RING_SEC + 17;

export function newPacingStats(fromSec: number, counts: () => CohortCounts): PacingStats {
  return {
    completed: 20,
    live: 20 * 0.25,
    cohortAll: counts(),
    cohortLive: counts(),
    settledUpTo: fromSec,
    ringLiveSum: 10 * 10,
    ringLiveN: 10,
    handleSum: 5 * 120,
    handleN: 5,
    k: K_START,
  };
}

/** A dial has rung out (dialed at `dialSec`, a whole second); `ringSec` counts for live ones. */
export function learnRingEnd(s: PacingStats, dialSec: number, live: boolean, ringSec: number): void {
  const b = dialSec & 63;
  s.cohortAll[b]++;
  if (live) {
    s.cohortLive[b]++;
    s.ringLiveSum += ringSec;
    s.ringLiveN++;
  }
}

export function learnHandle(s: PacingStats, handleSec: number): void {
  s.handleSum += handleSec;
  s.handleN++;
}

/** Folds the cohorts that have all rung out by `nowSec` into the hit rate. */
export function settleCohorts(s: PacingStats, nowSec: number): void {
  const last = nowSec - COHORT_SETTLED_SEC;
  // A long quiet span: every bucket is settled once, then the cursor jumps (the same sums).
  if (last - s.settledUpTo > 64) {
    for (let b = 0; b < 64; b++) {
      s.live += s.cohortLive[b];
      s.completed += s.cohortAll[b];
      s.cohortLive[b] = 0;
      s.cohortAll[b] = 0;
    }
    s.settledUpTo = Math.floor(last) + 1;
    return;
  }
  for (; s.settledUpTo <= last; s.settledUpTo++) {
    const b = s.settledUpTo & 63;
    s.live += s.cohortLive[b];
    s.completed += s.cohortAll[b];
    s.cohortLive[b] = 0;
    s.cohortAll[b] = 0;
  }
}

/** The pacing input of a group from its statistics (settle the cohorts first). */
export function pacingInput(mode: PacedMode, s: PacingStats, group: { loggedIn: number; free: number; waiting: number; ringing: number }): PacingInput {
  return learnedInto({ mode, ...group, hitRate: 0, ringLiveSec: 0, handleSec: 0, k: 0 }, s);
}

/**
 * Fills what pacing has learned (hit rate, ring and handle times, aggressiveness) into an input
 * whose group counts are set; returns it. `sim` refills one input at each look, allocating nothing.
 */
export function learnedInto(p: PacingInput, s: PacingStats): PacingInput {
  p.hitRate = s.live / s.completed;
  p.ringLiveSec = s.ringLiveSum / s.ringLiveN;
  p.handleSec = s.handleSum / s.handleN;
  p.k = s.k;
  return p;
}
