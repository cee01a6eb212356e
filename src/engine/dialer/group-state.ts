import type { RandomState } from '../random.js';
import type { PacingStats } from './pacing.js';

/**
 * The group dialer's saved state (group-dialer.ts), kept with the world's meta row in the
 * dialer's part: registered below into the core's DialerState, as this feature's timers are
 * into SimEventMap, so the core names none of these types.
 */

/** A line the group dialer placed for the colleagues (a number of their generated list). */
export interface GroupLine {
  id: number;
  dialedAt: number;
  ringEnd: number;
  result: number;
  /** The record of `sim`'s calling list it dials (absent: the generated list). */
  recordId?: number;
  /** The colleague who previewed the record and dialed it (Preview modes of `sim`). */
  owner?: number;
}

/** An answered call waiting (2 seconds at most) for an agent. */
export interface WaitingCall {
  callId: number;
  answeredAt: number;
  /** The calling-list record of a line dialed for the desk agent; null for a colleagues' line. */
  recordId: number | null;
  result: number;
}

/**
 * One campaign's dialer at the desk: its group is the logged-in agent plus the simulated
 * colleagues, run by the group loop (group-loop.ts) on the engine's event queue. Saved with
 * the world, so a restart goes on exactly where it was.
 */
export interface GroupDialer {
  /** The campaign start this group belongs to (a restart of the campaign starts a new group). */
  startedAt: number;
  /** The group's own random stream: the dialer's draws never shift the rest of the world. */
  rng: RandomState;
  /** Per colleague: 0 free, 1 busy, 2 gone (their shift is over); pace scales their handle time. */
  colleagueState: number[];
  colleaguePace: number[];
  colleagueBusySince: number[];
  colleaguesFree: number;
  colleaguesIn: number;
  /** The colleagues' lines ringing; the desk agent's are `DialerState.inFlight`. */
  lines: GroupLine[];
  waiting: WaitingCall[];
  stats: PacingStats;
  /** Live answers and abandons by minute since the start, the last 64 minutes (index minute & 63). */
  minuteLive: number[];
  minuteAbandoned: number[];
  /** The last minute written into the two rings. */
  minute: number;
  lastSteerAt: number;
  /** No record of the calling list was dialable for the desk agent: the next look is then. */
  nothingDialableUntil?: number;
  /** The pacing wake-ups queued (a few instants). */
  wakes: number[];
}

// This feature's part of the dialer's saved state (world.ts).
declare module '../world.js' {
  interface DialerState {
    /** The group dialer of each Progressive or Predictive campaign that has run (absent in older states). */
    groups?: Record<string, GroupDialer>;
  }
}
