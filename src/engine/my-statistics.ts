import type { StoreReader } from './store-port.js';
import type { TimeZones } from './time/time-zones.js';

/**
 * My Statistics: the agent's own figures of the day from the call log (calls handled, talk
 * time, callbacks set), as WDE's My Statistics shows an agent's KPIs. "Today" is the agent's
 * day in the agent's zone, from its midnight to now.
 */

export interface MyStatistics {
  /** The span counted, UTC ms: the agent's midnight to now. */
  from: number;
  to: number;
  /** Records that reached the agent's desk. */
  delivered: number;
  /** Numbers dialled for or by the agent. */
  attempts: number;
  /** Calls that connected to the agent. */
  connected: number;
  /** Connected calls that ended: the calls handled. */
  handled: number;
  talkMs: number;
  /** Talk time over the calls handled (0 when none). */
  averageTalkMs: number;
  longestTalkMs: number;
  /** Callbacks the agent booked on a call (Reschedule Callback at Done). */
  callbacksSet: number;
}

/** The agent's midnight of the day `now` falls on, in `tz` (the first instant of the day, across a DST change too). */
export function startOfAgentDay(zones: TimeZones, tz: string, now: number): number {
  const w = zones.toWall(tz, now);
  const midnight = { year: w.year, month: w.month, day: w.day, hour: 0, minute: 0, second: 0 };
  const r = zones.resolve(tz, midnight);
  // A day that begins in a gap (a zone that springs forward at midnight) begins at its transition.
  return r.kind === 'exact' ? r.utc : r.kind === 'overlap' ? r.earlier : r.after;
}

export async function myStatistics(q: StoreReader, zones: TimeZones, agentId: string, tz: string, now: number): Promise<MyStatistics> {
  const from = startOfAgentDay(zones, tz, now);
  // The span's end is the next millisecond: a call that ended at `now` is counted.
  const f = await q.calls.agentFigures(agentId, from, now + 1);
  return {
    from,
    to: now,
    delivered: f.delivered,
    attempts: f.attempts,
    connected: f.connected,
    handled: f.handled,
    talkMs: f.talkMs,
    averageTalkMs: f.handled ? Math.round(f.talkMs / f.handled) : 0,
    longestTalkMs: f.longestTalkMs,
    callbacksSet: f.callbacksSet,
  };
}
