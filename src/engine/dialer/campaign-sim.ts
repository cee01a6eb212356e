// Long on purpose: the figures `sim` reports (hourly, by result, windows, the attempts log) kept
// beside the group loop in one closure, fast (eight hours of 100 agents in well under a second).
import { CallResult } from '../domain.js';
import { Random } from '../random.js';
import { treatCallResult } from './call-treatment.js';
import { inContactHours } from '../dialing-rules.js';
import type { PacingInput } from './pacing.js';
import type { GroupLine } from './group-state.js';
import { abandonRate, wholeRunSums } from './group-model.js';
import * as loop from './group-loop.js';

export { NON_LIVE_SHARES, NO_ANSWER_RING_SEC } from './call-model.js';

/**
 * An outbound campaign at call level: the one group loop (group-loop.ts: each attempt's outcome,
 * agents who talk and wrap up, the dialer's pacing) with every agent simulated, run fast for
 * Preview, Push Preview, Progressive and Predictive on a numeric event heap of its own. The desk
 * runs the same loop on the engine's event queue (group-dialer.ts). What is here is `sim`'s
 * own: the calling list it may be given, and its figures.
 */

export type SimMode = 'preview' | 'push-preview' | 'progressive' | 'predictive';


/** One dialable number; a generated list is contactable all the time. */
export interface SimRecord {
  record_id: number;
  contact_info: string;
  /** Seconds of day in the record's zone. */
  daily_from: number;
  daily_till: number;
  /** The record's IANA zone: its contact hours follow the zone's offset on each date. */
  tz: string;
}

export interface SimConfig {
  mode: SimMode;
  agents: number;
  hours: number;
  /** Share of attempts answered by a live person. */
  hitRate: number;
  /** Mean talk and wrap-up seconds; each agent has a personal pace around them. */
  talkSec: number;
  wrapSec: number;
  /** Abandoned calls allowed per live answer (0.03 = 3%). */
  targetAbandon: number;
  seed: number;
  /**
   * The group's random stream, when not the seed's: the desk's own (group-dialer.ts groupRandom),
   * to run what a campaign start at the desk runs, draw for draw.
   */
  rng?: Random;
  /** The run's start, UTC epoch ms: the loop's clock reads epoch ms, as at the desk. */
  start: number;
  callingList?: SimRecord[];
  /**
   * Seconds since local midnight in a zone at a UTC instant (ms): how contact hours are read,
   * daylight saving included. Needed with a calling list.
   */
  localSeconds?: (tz: string, utc: number) => number;
  /** Called once per attempt with its one final result (the attempts log of `sim --attempts`). */
  onAttempt?: (a: AttemptLog) => void;
  /** Seconds after the start at which every agent logs out (the dialer must stop). */
  logoutAtSec?: number;
}

export interface SimFigures {
  mode: SimMode;
  agents: number;
  hours: number;
  attempts: number;
  liveAnswers: number;
  abandoned: number;
  /** abandoned / live answers, over the whole run. */
  abandonRate: number;
  abandonRateLastHour: number;
  abandonRateDay: number;
  abandonRate30Days: number;
  /** Busy (talk, wrap, preview, ringing for the agent) share of logged-in time. */
  occupancy: number;
  talkMinutesPerAgentHour: number;
  /** Attempts by call_result code. */
  byResult: Record<string, number>;
  /** One entry per simulated hour (the last may be partial). */
  hourly: HourFigures[];
  /** Seconds from live answer to agent, mean over connected calls. */
  meanDistributionSec: number;
  dialsWithNoAgentLoggedIn: number;
  dialsOutsideContactHours: number;
  /** Live answers that waited longer than 2 s and were still connected (must be 0). */
  lateConnects: number;
  minRingNoAnswerSec: number;
}

/** One attempt as `sim --attempts` writes it. */
export interface AttemptLog {
  /** The calling-list record, or undefined for the generated list. */
  record: SimRecord | undefined;
  /** UTC epoch ms. */
  dialedAt: number;
  callResult: number;
  abandoned: boolean;
}

export interface HourFigures {
  /** 0 for the first hour of the run. */
  hour: number;
  attempts: number;
  liveAnswers: number;
  abandoned: number;
  abandonRate: number;
  occupancy: number;
}

/**
 * A binary min-heap of (time, order, event) in parallel typed arrays: equal times in the order
 * pushed. An event is id * 8 + timer in a double (exact up to 2^50 ids: call ids only grow).
 */
class NumHeap {
  t = new Float64Array(1024);
  o = new Float64Array(1024);
  e = new Float64Array(1024);
  n = 0;
  private seq = 0;
  push(time: number, ev: number): void {
    if (this.n === this.t.length) {
      const grow = <T extends Float64Array>(a: T, b: T): T => (b.set(a), b);
      this.t = grow(this.t, new Float64Array(this.n * 2));
      this.o = grow(this.o, new Float64Array(this.n * 2));
      this.e = grow(this.e, new Float64Array(this.n * 2));
    }
    const order = this.seq++;
    let i = this.n++;
    const { t, o, e } = this;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (t[p] < time || (t[p] === time && o[p] < order)) break;
      t[i] = t[p];
      o[i] = o[p];
      e[i] = e[p];
      i = p;
    }
    t[i] = time;
    o[i] = order;
    e[i] = ev;
  }
  /** Removes the top; read it from t[0], e[0] first. */
  pop(): void {
    const { t, o, e } = this;
    const n = --this.n;
    if (n === 0) return;
    const lt = t[n];
    const lo = o[n];
    const le = e[n];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && (t[c + 1] < t[c] || (t[c + 1] === t[c] && o[c + 1] < o[c]))) c++;
      if (t[c] > lt || (t[c] === lt && o[c] > lo)) break;
      t[i] = t[c];
      o[i] = o[c];
      e[i] = e[c];
      i = c;
    }
    t[i] = lt;
    o[i] = lo;
    e[i] = le;
  }
}

export { ABANDON_AFTER_SEC } from './call-model.js';

/** A campaign simulation that can be run on a little at a time (My Campaigns' live figures). */
export interface CampaignSimRun {
  /** Runs every event up to `sec` seconds after the start (past the end: until every call has its result). */
  runUntil(sec: number): void;
  /** The figures as of `sec` seconds after the start (at most the end). */
  figures(sec: number): SimFigures;
}

/** Runs a whole campaign simulation: every call dialed before the end gets its one result. */
export function runCampaignSim(cfg: SimConfig): SimFigures {
  const run = createCampaignSim(cfg);
  run.runUntil(Infinity);
  return run.figures(cfg.hours * 3600);
}

/**
 * The simulation as a resumable run: running it to t in one step or in many gives the same
 * state, so live figures advance with the clock instead of re-simulating from the start. The
 * run counts milliseconds from its start; the group loop's state is the desk's (group-state.ts).
 */
export function createCampaignSim(cfg: SimConfig): CampaignSimRun {
  const rnd = cfg.rng ?? new Random(cfg.seed);
  const N = cfg.agents;
  const start = cfg.start;
  const end = cfg.hours * 3600;
  const endMs = start + end * 1000;
  /** Seconds since the start of an epoch-ms instant (the figures count in them). */
  const sec = (ms: number) => (ms - start) / 1000;
  const mode = cfg.mode === 'predictive' ? 'predictive' : 'progressive';
  const agentDriven = cfg.mode === 'preview' || cfg.mode === 'push-preview';
  const push = cfg.mode === 'push-preview';
  const shiftEnd = cfg.logoutAtSec !== undefined ? start + cfg.logoutAtSec * 1000 : Infinity;
  const g = loop.newGroup(N, rnd, start, start);
  const steering = { target: cfg.targetAbandon, agents: N, whole: { live: 0, abandoned: 0 } };

  // Busy time (talk, wrap, preview) inside the run, in total and by hour.
  const hourCount = Math.max(1, Math.ceil(end / 3600));
  const hourAttempts = new Int32Array(hourCount);
  const hourBusy = new Float64Array(hourCount);
  let busyTime = 0;
  /** Busy time from..to seconds (inside the run), into the total and the hours it spans. */
  const addBusy = (from: number, to: number) => {
    const a = Math.max(0, from);
    const b = Math.min(to, end);
    if (b <= a) return;
    busyTime += b - a;
    for (let h = Math.floor(a / 3600); h < hourCount && h * 3600 < b; h++) hourBusy[h] += Math.min(b, (h + 1) * 3600) - Math.max(a, h * 3600);
  };
  let talkTime = 0;

  const byResult = new Int32Array(64);
  let attempts = 0;
  let connected = 0;
  let distSum = 0;
  let lateConnects = 0;
  let noAgentDials = 0;
  let outsideHours = 0;
  let minNoAnswerRing = Infinity;
  // Per-minute counts for the windowed abandon rates and the hours.
  const minutes = Math.ceil(end / 60) + 1;
  const minLive = new Int32Array(minutes);
  const minAband = new Int32Array(minutes);
  const minuteSums = wholeRunSums(minLive, minAband);
  const minuteAt = (ms: number) => Math.min(minutes - 1, Math.floor((ms - start) / 60_000));
  // When each answered call still waiting was dialed (the attempts log names it).
  const waitingDialedAt = new Map<number, number>();

  const list = cfg.callingList;
  if (list && !cfg.localSeconds) throw new Error('a calling list needs localSeconds to read contact hours');
  let listPos = 0;
  // Seconds of day per zone, worked out once per simulated minute (the offset follows the date).
  const sodCache = new Map<string, { minute: number; base: number }>();
  const localSod = (tz: string, nowSec: number): number => {
    const minute = Math.floor(nowSec / 60);
    let c = sodCache.get(tz);
    if (!c || c.minute !== minute) {
      c = { minute, base: cfg.localSeconds!(tz, cfg.start + minute * 60_000) };
      sodCache.set(tz, c);
    }
    return (c.base + (nowSec - minute * 60)) % 86400;
  };
  // Each record of a calling list: 0 dialable, 1 on a call, 2 finished; when it may be dialed
  // again (seconds) and how often it was (treatCallResult decides).
  const recState = new Uint8Array(list?.length ?? 0);
  const recNextAt = new Float64Array(list?.length ?? 0);
  const recAttempts = new Uint16Array(list?.length ?? 0);
  let recLeft = list?.length ?? 0;

  /** The next record contactable now, or -1. */
  const nextRecord = (now: number): number => {
    const nowSec = sec(now);
    if (recLeft === 0) return -1;
    for (let tries = 0; tries < list!.length; tries++) {
      const i = listPos;
      const r = list![i];
      listPos = (listPos + 1) % list!.length;
      if (recState[i] !== 0 || recNextAt[i] > nowSec) continue;
      if (inContactHours(r, localSod(r.tz, nowSec))) {
        recState[i] = 1;
        return i;
      }
    }
    return -1;
  };

  /** Every attempt ends in exactly one call result; a list's record is then treated by it. */
  const count = (code: number, dialedAt: number, rec: number | null | undefined, now: number) => {
    byResult[code]++;
    const i = rec ?? -1;
    cfg.onAttempt?.({ record: i >= 0 && list ? list[i] : undefined, dialedAt, callResult: code, abandoned: code === CallResult.Abandoned });
    if (i < 0) return;
    recAttempts[i]++;
    const t = treatCallResult(code, recAttempts[i]);
    if (t.finished) {
      recState[i] = 2;
      recLeft--;
    } else {
      recState[i] = 0;
      recNextAt[i] = sec(now) + t.retryAfterSec;
    }
  };

  const heap = new NumHeap();
  let nextCallId = 1;
  const port: loop.GroupPort = {
    now: start,
    rnd,
    rates: { hitRate: cfg.hitRate, talkSec: cfg.talkSec, wrapSec: cfg.wrapSec },
    schedule: (at, timer, id) => heap.push(at, id * 8 + timer),
    nextCallId: () => nextCallId++,
    pickRecord: list ? nextRecord : undefined,
    dialed(line: GroupLine) {
      if (g.colleaguesIn === 0) noAgentDials++;
      if (line.recordId !== undefined) {
        const r = list![line.recordId];
        if (!inContactHours(r, localSod(r.tz, sec(line.dialedAt)))) outsideHours++;
      }
      attempts++;
      hourAttempts[Math.min(hourCount - 1, Math.floor((line.dialedAt - start) / 3_600_000))]++;
    },
  };
  const taken: loop.Taken = { colleague: -1, talkMs: 0 };
  const paceIn: PacingInput = { mode, loggedIn: 0, free: 0, waiting: 0, ringing: 0, hitRate: 0, ringLiveSec: 0, handleSec: 0, k: 0 };

  /** A colleague took a call at `now`: connected, with its talk. */
  const connect = (talkMs: number) => {
    connected++;
    talkTime += talkMs / 1000;
  };

  // Start: Preview colleagues each open a record; the paced modes look at once.
  if (agentDriven) for (let i = 0; i < N; i++) loop.previewNext(g, port, i, push);
  else loop.wakeBy(g, port, start);

  // A pacing look asked for now (the engine queues a DialerPace timer at now, behind the
  // instant's other timers): here a flag, the look taken once this instant's events are done.
  let paceDue = false;
  const pace = (now: number) => {
    paceDue = false;
    loop.wakesSpent(g, now);
    if (closing) return;
    loop.beginPace(g, now, mode, shiftEnd, steering);
    loop.finishPace(g, port, mode, loop.linesFor(g, mode, undefined, paceIn), shiftEnd);
  };

  let closing = false;
  const runUntil = (limitSec: number): void => {
    const limit = start + limitSec * 1000;
    while (heap.n > 0 && heap.t[0] <= limit) {
      const now = heap.t[0];
      if (now > endMs) {
        // The shift is over: dial nothing more, but let every call already dialed end in its
        // one call result (answered calls still waiting can be connected or abandoned).
        closing = true;
        if (g.lines.length === 0 && g.waiting.length === 0) break;
      }
      const ev = heap.e[0];
      heap.pop();
      port.now = now;
      const id = Math.floor(ev / 8);
      switch (ev - id * 8) {
        case loop.TIMER_RING_END: {
          const line = loop.takeLine(g, id)!;
          const to = loop.ringEnd(g, port, line, false, line.recordId ?? null, taken);
          if (to === loop.RING_NOT_LIVE) {
            count(line.result, line.dialedAt, line.recordId, now);
            // The ring itself: answer detection is not ringing.
            const rang = (now - line.dialedAt - loop.ANSWER_DETECTION_MS) / 1000;
            if (line.result === CallResult.NoAnswer && rang < minNoAnswerRing) minNoAnswerRing = rang;
          } else {
            // Counted in byResult when it reaches an agent (Answer) or not (Abandoned).
            steering.whole.live++;
            minLive[minuteAt(now)]++;
            if (to === loop.ANSWER_WAITS) waitingDialedAt.set(line.id, line.dialedAt);
            else {
              count(line.result, line.dialedAt, line.recordId, now);
              connect(taken.talkMs);
            }
          }
          if (!agentDriven) paceDue = true;
          break;
        }
        case loop.TIMER_ABANDON: {
          const w = loop.abandon(g, port, id);
          if (!w) break;
          steering.whole.abandoned++;
          minAband[minuteAt(now)]++;
          // A live answer all the same: regulators count abandons per live answer.
          count(CallResult.Abandoned, waitingDialedAt.get(w.callId)!, w.recordId, now);
          waitingDialedAt.delete(w.callId);
          break;
        }
        case loop.TIMER_COLLEAGUE_FREE: {
          const busySince = g.colleagueBusySince[id];
          const w = loop.colleagueFree(g, port, id, shiftEnd, taken);
          if (w === undefined) break;
          addBusy(sec(busySince), sec(now));
          if (w) {
            const waited = now - w.answeredAt;
            if (waited > loop.ABANDON_AFTER_MS) lateConnects++;
            distSum += waited / 1000;
            count(w.result, waitingDialedAt.get(w.callId)!, w.recordId, now);
            waitingDialedAt.delete(w.callId);
            connect(taken.talkMs);
          }
          if (!agentDriven) paceDue = true;
          else if (!closing && g.colleagueState[id] === 0) loop.previewNext(g, port, id, push);
          break;
        }
        case loop.TIMER_PREVIEW_END: {
          if (closing) break;
          const busySince = g.colleagueBusySince[id];
          loop.previewEnd(g, port, id, push, shiftEnd);
          // Logged out while reading: the reading was busy time all the same.
          if (g.colleagueState[id] === 2) addBusy(sec(busySince), sec(now));
          break;
        }
        case loop.TIMER_PACE:
          pace(now);
          break;
      }
      if (paceDue && (heap.n === 0 || heap.t[0] > now)) pace(now);
    }
  };

  const figures = (at: number): SimFigures => {
    const t = Math.min(at, end);
    const busyOf = (i: number) => (g.colleagueState[i] === 1 ? sec(g.colleagueBusySince[i]) : Infinity);
    // Close the books at t: agents still busy count their time up to it.
    let busy = busyTime;
    for (let i = 0; i < N; i++) if (busyOf(i) < t) busy += t - busyOf(i);
    const loggedSec = cfg.logoutAtSec !== undefined ? Math.min(t, cfg.logoutAtSec) * N : t * N;
    // A finished run counts the answers its last calls got after the end too.
    const lastIndex = at >= end ? minutes - 1 : Math.min(minutes - 1, Math.floor(t / 60));
    const windowRate = (fromMin: number) => abandonRate(minuteSums(fromMin, lastIndex));
    const lastMinute = Math.floor(t / 60);
    const hourly: HourFigures[] = [];
    for (let h = 0; h * 3600 < t; h++) {
      const from = h * 3600;
      const to = Math.min(t, (h + 1) * 3600);
      // The last hour of a finished run also holds the answers its last calls got after the end.
      const mEnd = at >= end && to >= t ? minutes : Math.min(minutes, Math.ceil(to / 60));
      const answers = minuteSums(from / 60, mEnd - 1);
      let hb = h < hourCount ? hourBusy[h] : 0;
      for (let i = 0; i < N; i++) if (busyOf(i) < to) hb += to - Math.max(from, busyOf(i));
      const logged = N * Math.max(0, Math.min(to, cfg.logoutAtSec ?? to) - from);
      hourly.push({ hour: h, attempts: hourAttempts[Math.min(h, hourCount - 1)], liveAnswers: answers.live, abandoned: answers.abandoned, abandonRate: abandonRate(answers), occupancy: logged > 0 ? Math.min(1, hb / logged) : 0 });
    }
    const results: Record<string, number> = {};
    for (let code = 0; code < byResult.length; code++) if (byResult[code]) results[String(code)] = byResult[code];
    const { live, abandoned } = steering.whole;
    return {
      mode: cfg.mode,
      agents: N,
      hours: t / 3600,
      attempts,
      liveAnswers: live,
      abandoned,
      abandonRate: abandonRate({ live, abandoned }),
      abandonRateLastHour: windowRate(lastMinute - 60),
      abandonRateDay: windowRate(lastMinute - 24 * 60),
      abandonRate30Days: windowRate(lastMinute - 30 * 24 * 60),
      occupancy: loggedSec > 0 ? Math.min(1, busy / loggedSec) : 0,
      talkMinutesPerAgentHour: loggedSec > 0 ? talkTime / 60 / (loggedSec / 3600) : 0,
      byResult: results,
      hourly,
      meanDistributionSec: connected > 0 ? distSum / connected : 0,
      dialsWithNoAgentLoggedIn: noAgentDials,
      dialsOutsideContactHours: outsideHours,
      lateConnects,
      minRingNoAnswerSec: Number.isFinite(minNoAnswerRing) ? minNoAnswerRing : 0,
    };
  };
  return { runUntil, figures };
}
